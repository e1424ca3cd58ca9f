package io.seqclust.training;

import io.seqclust.config.SeqclustConfig.WindowPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The bounded set of sequences the next model trains on: the most recent {@code capacity}, or a
 * uniform reservoir sample (Vitter's algorithm R) of everything seen. Thread-safe.
 */
public final class TrainingWindow {

    private final int capacity;
    private final WindowPolicy policy;
    private final Random random;
    private final ArrayDeque<double[][]> recent;
    private final ArrayList<double[][]> reservoir;
    private long added;

    public TrainingWindow(int capacity, WindowPolicy policy, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("seqclust.window.capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.policy = policy;
        this.random = new Random(seed);
        this.recent = new ArrayDeque<>(policy == WindowPolicy.recent ? capacity : 0);
        this.reservoir = new ArrayList<>(policy == WindowPolicy.reservoir ? capacity : 0);
    }

    public synchronized void add(double[][] values) {
        added++;
        if (policy == WindowPolicy.recent) {
            if (recent.size() == capacity) {
                recent.removeFirst();
            }
            recent.addLast(values);
        } else if (reservoir.size() < capacity) {
            reservoir.add(values);
        } else {
            long slot = (long) (random.nextDouble() * added);
            if (slot < capacity) {
                reservoir.set((int) slot, values);
            }
        }
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
