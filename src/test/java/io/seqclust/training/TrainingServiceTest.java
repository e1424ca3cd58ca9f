package io.seqclust.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainingServiceTest {

    /** 400 records of another D (each dead-lettered by the topology) must not decide the next model's D. */
    @Test
    void theNextModelTrainsOnThePinnedDOnly() {
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            window.add(new double[5][2]);
        }
        for (int i = 0; i < 400; i++) {
            window.add(new double[5][3]);
        }
        assertEquals(100, TrainingService.ofDims(window, 2).size());
        assertEquals(2, TrainingService.ofDims(window, 2).get(0)[0].length);
        assertEquals(400, TrainingService.ofDims(window, TrainingService.UNPINNED).size(), "unpinned: the most common D");
        assertEquals(0, TrainingService.ofDims(window, 7).size());
    }
}
