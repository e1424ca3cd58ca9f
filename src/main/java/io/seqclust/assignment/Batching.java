package io.seqclust.assignment;

import java.time.Duration;

/**
 * How the topology groups records for the model: up to {@code size} valid records assigned in one pass, the
 * oldest waiting at most about {@code maxWait}, the pass split over up to {@code threads} threads (the stream
 * thread and {@code threads - 1} helpers, at least {@link BatchPass#MIN_CHUNK} records each); under a backlog,
 * up to {@code threads} full batches on helpers at once while the stream thread reads on. Size 1 assigns each
 * record as it comes, with no record held.
 */
public record Batching(int size, Duration maxWait, int threads) {

    public static final Batching NONE = new Batching(1, Duration.ZERO);
    /** The defaults of {@code seqclust.assignment.batch-size}, {@code batch-wait} (milliseconds) and {@code threads}, for the service and {@code bench}. */
    public static final String DEFAULT_SIZE = "16";
    public static final String DEFAULT_WAIT_MS = "2";
    /** 0: as many threads as the cores the JVM sees (its CPU limit in a container). */
    public static final String DEFAULT_THREADS = "0";

    public Batching {
        if (size < 1 || maxWait.isNegative() || threads < 1) {
            throw new IllegalArgumentException("batch size and threads must be >= 1 and the wait >= 0, not " + size + ", "
                    + threads + " and " + maxWait);
        }
    }

    /** A pass on the stream thread alone. */
    public Batching(int size, Duration maxWait) {
        this(size, maxWait, 1);
    }

    /** @param threadsSetting {@code seqclust.assignment.threads}: 0 for every core */
    public static Batching of(int size, Duration maxWait, int threadsSetting) {
        return new Batching(size, maxWait, threadsSetting == 0 ? Runtime.getRuntime().availableProcessors() : threadsSetting);
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
