package io.seqclust.training;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TrainingPolicyTest {

    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    @Test
    void theFirstModelWaitsForEnoughSequences() {
        assertNull(TrainingPolicy.due(false, 199, 199, null, 200, 500, FIVE_MIN));
        assertNotNull(TrainingPolicy.due(false, 200, 200, null, 200, 500, FIVE_MIN));
    }

    @Test
    void aRetrainNeedsBothTheIntervalAndNewRecords() {
        assertNull(TrainingPolicy.due(true, 5000, 10_000, Duration.ofMinutes(4), 200, 500, FIVE_MIN));
        assertNull(TrainingPolicy.due(true, 5000, 499, Duration.ofMinutes(6), 200, 500, FIVE_MIN));
        assertNotNull(TrainingPolicy.due(true, 5000, 500, Duration.ofMinutes(5), 200, 500, FIVE_MIN));
        assertNotNull(TrainingPolicy.due(true, 5000, 500, null, 200, 500, FIVE_MIN));
    }
}
