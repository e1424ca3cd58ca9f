package io.seqclust.training;

import io.seqclust.config.SeqclustConfig.WindowPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
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
    private final ArrayDeque<Entry> recent;
    private final ArrayList<Entry> reservoir;
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

    /** A sequence and where it was read. */
    private record Entry(int partition, long offset, double[][] values) {
        long bytes() {
            return bytesOf(values);
        }
    }

    /**
     * What the next model trains on.
     *
     * @param sequences the window's sequences, oldest first for the recent policy
     * @param through   per partition, the offset after the last record read: all the sequences are before it
     */
    public record Snapshot(List<double[][]> sequences, Map<Integer, Long> through) {
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
        add(new Entry(partition, offset, values));
        return true;
    }

    private void add(Entry entry) {
        added++;
        long size = entry.bytes();
        if (policy == WindowPolicy.recent) {
            recent.addLast(entry);
            bytes += size;
            while (recent.size() > capacity || (bytes > maxBytes && recent.size() > 1)) {
                bytes -= recent.removeFirst().bytes();
            }
        } else if (reservoir.size() < capacity && bytes + size <= maxBytes) {
            reservoir.add(entry);
            bytes += size;
        } else {
            // full by count or by bytes: a uniform sample of what was seen, at the size reached
            long slot = (long) (random.nextDouble() * added);
            if (slot < reservoir.size() && bytes - reservoir.get((int) slot).bytes() + size <= maxBytes) {
                bytes += size - reservoir.get((int) slot).bytes();
                reservoir.set((int) slot, entry);
            }
        }
    }

    private Collection<Entry> entries() {
        return policy == WindowPolicy.recent ? recent : reservoir;
    }

    /** Bytes of values the window holds now. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(entries().stream().map(Entry::values).toList(), through());
    }

    /** Per partition, the offset after the last record read. */
    public synchronized Map<Integer, Long> through() {
        return Map.copyOf(nextOffset);
    }

    /** The newest (by arrival) at most {@code max} sequences of the window read at or after {@code through}, oldest first. */
    public synchronized List<double[][]> newest(Map<Integer, Long> through, int max) {
        List<Entry> all = new ArrayList<>(entries());
        ArrayDeque<double[][]> out = new ArrayDeque<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < max; i--) {
            Entry e = all.get(i);
            if (e.offset() >= through.getOrDefault(e.partition(), 0L)) {
                out.addFirst(e.values());
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Sequences of the window read at or after {@code through} (per partition; a partition it does not name is
     * new throughout): those a model trained through there has not seen.
     */
    public synchronized long newerThan(Map<Integer, Long> through) {
        return entries().stream().filter(e -> e.offset() >= through.getOrDefault(e.partition(), 0L)).count();
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
