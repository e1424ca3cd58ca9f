package io.seqclust.training;

import java.time.Duration;

/** When a scheduled retrain is due. */
public final class TrainingPolicy {

    private TrainingPolicy() {
    }

    /**
     * @param sinceLast time since the last run started, null if none ran in this process
     * @return why a run is due, or null if it is not
     */
    public static String due(boolean hasModel, int windowSize, long newRecords, Duration sinceLast,
                             int minRecords, int minNewRecords, Duration interval) {
        if (!hasModel) {
            return windowSize >= minRecords ? "first model (window has " + windowSize + " sequences)" : null;
        }
        boolean intervalPassed = sinceLast == null || sinceLast.compareTo(interval) >= 0;
        if (intervalPassed && newRecords >= minNewRecords) {
            return "schedule (" + newRecords + " new sequences)";
        }
        return null;
    }
}
