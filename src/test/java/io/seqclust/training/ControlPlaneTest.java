package io.seqclust.training;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlPlaneTest {

    private static final ControlPlane.Settings SETTINGS = new ControlPlane.Settings(200, 500, Duration.ofMinutes(5),
            Duration.ofSeconds(10), Duration.ofMinutes(10), 0.1);
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private final ControlPlane plane = new ControlPlane(SETTINGS);

    private static ControlPlane.Facts noModel(int windowSize) {
        return new ControlPlane.Facts(true, true, windowSize, 0, null, windowSize, null);
    }

    private static ControlPlane.Facts served(long version, Instant at, long newRecords) {
        return new ControlPlane.Facts(true, true, 5000, version, at, newRecords, null);
    }

    @Test
    void nothingIsDecidedBeforeTheModelsTopicAndTheWindowHaveBeenRead() {
        assertEquals(Optional.empty(), plane.decide(new ControlPlane.Facts(false, true, 5000, 0, null, 5000, null), T0));
        assertEquals(ControlPlane.State.WAITING_FOR_MODELS, plane.status().state());
        assertEquals(Optional.empty(), plane.decide(new ControlPlane.Facts(true, false, 5000, 0, null, 5000, null), T0));
        assertEquals(ControlPlane.State.REBUILDING_WINDOW, plane.status().state());
    }

    @Test
    void theFirstModelWaitsForEnoughSequences() {
        assertEquals(Optional.empty(), plane.decide(noModel(199), T0));
        assertEquals(ControlPlane.State.WAITING_FOR_RECORDS, plane.status().state());
        assertTrue(plane.decide(noModel(200), T0).orElseThrow().startsWith("first model"));
        assertEquals(ControlPlane.State.TRAINING, plane.status().state());
        assertEquals(Optional.empty(), plane.decide(noModel(200), T0), "one run at a time");
        assertFalse(plane.startRequested(), "nor one asked for while one runs");
    }

    /** The served model was created an hour before the restart and the window holds nothing newer than it. */
    @Test
    void aRestartOfAHealthyServiceTrainsNothing() {
        Instant restart = T0.plus(Duration.ofHours(1));
        for (int s = 0; s < 600; s++) {
            assertEquals(Optional.empty(), plane.decide(served(7, T0, 0), restart.plusSeconds(s)));
        }
        assertEquals(ControlPlane.State.IDLE, plane.status().state());
    }

    @Test
    void aRetrainNeedsBothTheIntervalAndNewRecords() {
        assertEquals(Optional.empty(), plane.decide(served(3, T0, 10_000), T0.plus(Duration.ofMinutes(4))));
        assertEquals(Optional.empty(), plane.decide(served(3, T0, 499), T0.plus(Duration.ofMinutes(6))));
        assertEquals("schedule (500 sequences newer than v3)", plane.decide(served(3, T0, 500), T0.plus(Duration.ofMinutes(5))).orElseThrow());
    }

    @Test
    void aDriftScoreAtTheThresholdMakesARetrainDueOnceTheIntervalHasPassed() {
        io.seqclust.drift.Drift.Score drifted = new io.seqclust.drift.Drift.Score(0.19, 0.16, 0.05, 0.19, 300);
        ControlPlane.Facts facts = new ControlPlane.Facts(true, true, 5000, 3, T0, 300, drifted);
        assertEquals(Optional.empty(), plane.decide(facts, T0.plus(Duration.ofMinutes(4))), "not within the interval");
        assertEquals("drift (score 0.190 >= 0.100 on 300 sequences newer than v3: cluster mix 0.160, confidence drop 0.050,"
                + " representation 0.190)", plane.decide(facts, T0.plus(Duration.ofMinutes(5))).orElseThrow());
        ControlPlane calm = new ControlPlane(SETTINGS);
        ControlPlane.Facts below = new ControlPlane.Facts(true, true, 5000, 3, T0, 300,
                new io.seqclust.drift.Drift.Score(0.099, 0.099, 0, 0, 300));
        assertEquals(Optional.empty(), calm.decide(below, T0.plus(Duration.ofHours(1))), "below the threshold, too few for the schedule");
    }

    @Test
    void failuresBackOffExponentiallyUpToTheLongestWaitAndASuccessResets() {
        assertTrue(plane.decide(noModel(300), T0).isPresent());
        assertEquals(Duration.ofSeconds(10), plane.finished(false, "boom", T0));
        assertEquals(new ControlPlane.Status(ControlPlane.State.BACKING_OFF, 1, "boom", T0.plusSeconds(10)), plane.status());
        assertEquals(Optional.empty(), plane.decide(noModel(300), T0.plusSeconds(9)));
        assertEquals(ControlPlane.State.BACKING_OFF, plane.status().state());
        Instant second = T0.plusSeconds(10);
        assertEquals("first model (window has 300 sequences, attempt 2)", plane.decide(noModel(300), second).orElseThrow());
        assertEquals(Duration.ofSeconds(20), plane.finished(false, "boom", second));
        assertEquals(Optional.empty(), plane.decide(noModel(300), second.plusSeconds(19)));
        assertTrue(plane.decide(noModel(300), second.plusSeconds(20)).isPresent());
        assertEquals(Duration.ofSeconds(40), plane.finished(false, "boom", second.plusSeconds(20)));
        assertEquals(Duration.ofMinutes(10), plane.backoff(30), "capped");
        assertEquals(Duration.ofSeconds(320), plane.backoff(6));

        assertTrue(plane.startRequested(), "the API may try during a back-off");
        assertEquals(Duration.ZERO, plane.finished(true, null, second.plusSeconds(30)));
        assertEquals(new ControlPlane.Status(ControlPlane.State.IDLE, 0, null, null), plane.status());
    }

    @Test
    void thresholdsTheWindowCanNeverReachAreRefusedNamingTheSettings() {
        assertEquals(SETTINGS, SETTINGS.validFor(500));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SETTINGS.validFor(199));
        assertEquals("seqclust.training.min-records = 200 is above seqclust.window.capacity = 199: no first model could"
                + " ever be trained", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SETTINGS.validFor(300)).getMessage()
                .contains("min-new-records = 500"));
    }

    @Test
    void aRunOnFewerSequencesThanTheFirstModelWaitsForCarriesAWarningNamingTheSetting() {
        assertEquals(Optional.empty(), SETTINGS.smallWindowWarning(200));
        assertEquals(Optional.empty(), SETTINGS.smallWindowWarning(5000));
        String warning = SETTINGS.smallWindowWarning(23).orElseThrow();
        assertTrue(warning.startsWith("trained on 23 sequences, fewer than seqclust.training.min-records = 200"), warning);
    }
}
