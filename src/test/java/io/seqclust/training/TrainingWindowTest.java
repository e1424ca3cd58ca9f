package io.seqclust.training;

import io.seqclust.config.SeqclustConfig.WindowPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingWindowTest {

    @Test
    void recentKeepsTheLastCapacitySequences() {
        TrainingWindow w = new TrainingWindow(3, WindowPolicy.recent, 1);
        for (int i = 0; i < 10; i++) {
            w.add(new double[][] {{i}});
        }
        List<double[][]> s = w.snapshot();
        assertEquals(3, s.size());
        assertEquals(List.of(7.0, 8.0, 9.0), s.stream().map(v -> v[0][0]).toList());
        assertEquals(10, w.added());
    }

    @Test
    void reservoirIsAUniformSampleOfEverythingSeen() {
        // well-spread seeds: java.util.Random's first draws are correlated for neighbouring seeds
        int[] hits = new int[10];
        for (int trial = 0; trial < 2000; trial++) {
            TrainingWindow w = new TrainingWindow(2, WindowPolicy.reservoir, trial * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < 10; i++) {
                w.add(new double[][] {{i}});
            }
            assertEquals(2, w.size());
            for (double[][] v : w.snapshot()) {
                hits[(int) v[0][0]]++;
            }
        }
        // each of the 10 should be kept with probability 2/10: 400 of 2000, binomial sd ≈ 18
        for (int i = 0; i < 10; i++) {
            assertTrue(Math.abs(hits[i] - 400) < 100, "sequence " + i + " kept " + hits[i] + " times");
        }
    }
}
