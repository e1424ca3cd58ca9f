package io.seqclust.training;

import io.seqclust.config.SeqclustConfig.WindowPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingWindowTest {

    @Test
    void recentKeepsTheLastCapacitySequences() {
        TrainingWindow w = new TrainingWindow(3, Long.MAX_VALUE, WindowPolicy.recent, 1);
        for (int i = 0; i < 10; i++) {
            w.add(0, i, new double[][] {{i}});
        }
        List<double[][]> s = w.snapshot().sequences();
        assertEquals(3, s.size());
        assertEquals(List.of(7.0, 8.0, 9.0), s.stream().map(v -> v[0][0]).toList());
        assertEquals(10, w.added());
    }

    @Test
    void reservoirIsAUniformSampleOfEverythingSeen() {
        // well-spread seeds: java.util.Random's first draws are correlated for neighbouring seeds
        int[] hits = new int[10];
        for (int trial = 0; trial < 2000; trial++) {
            TrainingWindow w = new TrainingWindow(2, Long.MAX_VALUE, WindowPolicy.reservoir, trial * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < 10; i++) {
                w.add(0, i, new double[][] {{i}});
            }
            assertEquals(2, w.size());
            for (double[][] v : w.snapshot().sequences()) {
                hits[(int) v[0][0]]++;
            }
        }
        // each of the 10 should be kept with probability 2/10: 400 of 2000, binomial sd ≈ 18
        for (int i = 0; i < 10; i++) {
            assertTrue(Math.abs(hits[i] - 400) < 100, "sequence " + i + " kept " + hits[i] + " times");
        }
    }

    @Test
    void aRecordReadAgainIsTakenOnce() {
        TrainingWindow w = new TrainingWindow(100, Long.MAX_VALUE, WindowPolicy.recent, 1);
        for (int i = 0; i < 10; i++) {
            assertTrue(w.add(i % 2, i, new double[][] {{i}}));
        }
        // a rebalance seeks back: partition 0 from offset 4, partition 1 from offset 0
        for (int i = 4; i < 10; i += 2) {
            assertFalse(w.add(0, i, new double[][] {{i}}));
        }
        assertFalse(w.add(1, 1, new double[][] {{1}}));
        assertTrue(w.add(1, 11, new double[][] {{11}}));
        assertEquals(11, w.size());
        assertEquals(11, w.added());
    }

    @Test
    void theWindowHoldsNoMoreBytesThanItsBound() {
        double[][] big = new double[100][10];
        long each = TrainingWindow.bytesOf(big);
        for (WindowPolicy policy : WindowPolicy.values()) {
            TrainingWindow w = new TrainingWindow(1000, 5 * each, policy, 3);
            for (int i = 0; i < 50; i++) {
                w.add(0, i, big);
            }
            assertEquals(5, w.size(), policy.name());
            assertTrue(w.bytes() <= 5 * each, policy.name());
        }
    }

    @Test
    void aSnapshotSaysWhereItEndsAndTheWindowCountsWhatCameAfter() {
        TrainingWindow w = new TrainingWindow(100, Long.MAX_VALUE, WindowPolicy.recent, 1);
        for (int i = 0; i < 10; i++) {
            w.add(i % 2, 100 + i, new double[][] {{i}});
        }
        TrainingWindow.Snapshot s = w.snapshot();
        assertEquals(java.util.Map.of(0, 109L, 1, 110L), s.through());
        assertEquals(0, w.newerThan(s.through()));
        w.add(0, 110, new double[][] {{10}});
        w.add(2, 0, new double[][] {{11}});
        assertEquals(2, w.newerThan(s.through()), "one after the snapshot, one in a partition it did not know");
        assertEquals(12, w.newerThan(java.util.Map.of()), "a model that does not say: all are new");
        assertEquals(List.of(10.0, 11.0), w.newest(s.through(), 5).stream().map(v -> v[0][0]).toList());
        assertEquals(List.of(9.0, 10.0, 11.0), w.newest(java.util.Map.of(), 3).stream().map(v -> v[0][0]).toList());
    }
}
