package io.seqclust.assignment;

import java.time.Duration;

/**
 * How the topology groups records for the model: up to {@code size} valid records assigned in one pass, the
 * oldest waiting at most about {@code maxWait}. Size 1 assigns each record as it comes, with no record held.
 */
public record Batching(int size, Duration maxWait) {

    public static final Batching NONE = new Batching(1, Duration.ZERO);
    /** The defaults of {@code seqclust.assignment.batch-size} and {@code batch-wait} (milliseconds), for the service and {@code bench}. */
    public static final String DEFAULT_SIZE = "16";
    public static final String DEFAULT_WAIT_MS = "2";

    public Batching {
        if (size < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("batch size must be >= 1 and the wait >= 0, not " + size + " and " + maxWait);
        }
    }

    /**
     * How often the wall-clock punctuator looks at the held records: half the wait (at least 1 ms), so that
     * none waits much past it; without batching, only to drain what waited for a first model.
     */
    Duration checkEvery() {
        if (size == 1) {
            return Duration.ofMillis(200);
        }
        return Duration.ofMillis(Math.max(1, Math.min(200, maxWait.toMillis() / 2)));
    }
}
