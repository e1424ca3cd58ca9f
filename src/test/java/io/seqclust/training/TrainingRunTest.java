package io.seqclust.training;

import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRunTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aRunWithinItsBudgetGoesOnAndShowsItsProgress() {
        TrainingRun run = new TrainingRun("rddc", "schedule", T0, Duration.ofMinutes(1));
        run.check(T0.plusSeconds(60));
        assertNull(run.view(T0).epoch(), "no epoch reported yet");
        run.report(new Progress(3, 30, LossTerms.of("ddc", 0.5, "regularisation", 0.25), 6.0));
        TrainingRun.View v = run.view(T0.plusSeconds(6));
        assertEquals(3, v.epoch());
        assertEquals(30, v.epochs());
        assertEquals(Map.of("ddc", 0.5, "regularisation", 0.25), v.loss());
        assertEquals(54.0, v.etaSeconds(), 1e-9);
        assertEquals(6.0, v.elapsedSeconds(), 1e-9);
    }

    @Test
    void aRunPastItsBudgetStopsAsAFailure() {
        TrainingRun run = new TrainingRun("rddc", "schedule", T0, Duration.ofSeconds(15));
        TrainingRun.Stopped s = assertThrows(TrainingRun.Stopped.class, () -> run.check(T0.plusSeconds(16)));
        assertFalse(s.cancelled());
        assertEquals("stopped: over its time budget of 15 s (seqclust.training.time-budget)", s.getMessage());
    }

    @Test
    void aCancelledRunStopsAtItsNextCheck() {
        TrainingRun run = new TrainingRun("rddc", "schedule", T0, Duration.ofHours(1));
        run.cancel();
        assertTrue(run.view(T0).cancelling());
        assertTrue(assertThrows(TrainingRun.Stopped.class, () -> run.check(T0)).cancelled());
    }
}
