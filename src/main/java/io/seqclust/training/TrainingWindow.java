package io.seqclust.training;

import io.seqclust.config.SeqclustConfig.WindowPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bounded set of sequences the next model trains on: the most recent {@code capacity}, or a
 * uniform reservoir sample (Vitter's algorithm R) of everything seen, and never more than
 * {@code maxBytes} of values. A record is taken once by its position in the topic: one read again after a
 * rebalance or a broker restart is not counted twice. Thread-safe.
 */
public final class TrainingWindow {

    private final int capacity;
    private final long maxBytes;
    private final WindowPolicy policy;
    private final Random random;
    private final ArrayDeque<double[][]> recent;
    private final ArrayList<double[][]> reservoir;
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private long added;
    private long bytes;

    public TrainingWindow(int capacity, long maxBytes, WindowPolicy policy, long seed) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("seqclust.window.capacity and max-bytes must be >= 1, were " + capacity
                    + " and " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.random = new Random(seed);
        this.recent = new ArrayDeque<>(policy == WindowPolicy.recent ? capacity : 0);
        this.reservoir = new ArrayList<>(policy == WindowPolicy.reservoir ? capacity : 0);
    }

    /** Bytes a sequence holds in the window: its values and the rows' array headers. */
    static long bytesOf(double[][] values) {
        return (long) values.length * (values[0].length * Double.BYTES + 16) + 16;
    }

    /**
     * @param partition its partition of the sequences topic
     * @param offset    its offset there
     * @return false if this position was taken already
     */
    public synchronized boolean add(int partition, long offset, double[][] values) {
        Long next = nextOffset.get(partition);
        if (next != null && offset < next) {
            return false;
        }
        nextOffset.put(partition, offset + 1);
        add(values);
        return true;
    }

    private void add(double[][] values) {
        added++;
        long size = bytesOf(values);
        if (policy == WindowPolicy.recent) {
            recent.addLast(values);
            bytes += size;
            while (recent.size() > capacity || (bytes > maxBytes && recent.size() > 1)) {
                bytes -= bytesOf(recent.removeFirst());
            }
        } else if (reservoir.size() < capacity && bytes + size <= maxBytes) {
            reservoir.add(values);
            bytes += size;
        } else {
            // full by count or by bytes: a uniform sample of what was seen, at the size reached
            long slot = (long) (random.nextDouble() * added);
            if (slot < reservoir.size() && bytes - bytesOf(reservoir.get((int) slot)) + size <= maxBytes) {
                bytes += size - bytesOf(reservoir.get((int) slot));
                reservoir.set((int) slot, values);
            }
        }
    }

    /** Bytes of values the window holds now. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized List<double[][]> snapshot() {
        return policy == WindowPolicy.recent ? new ArrayList<>(recent) : new ArrayList<>(reservoir);
    }

    public synchronized int size() {
        return policy == WindowPolicy.recent ? recent.size() : reservoir.size();
    }

    /** Sequences ever added, including those the window has since let go. */
    public synchronized long added() {
        return added;
    }

    public int capacity() {
        return capacity;
    }

    public WindowPolicy policy() {
        return policy;
    }
}
