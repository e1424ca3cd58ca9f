package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocketTest {

    /** A hand-checked kernel: weights (1, −1) at dilation 2 with bias −0.5 over 0, 1, 2, 3, 4 without padding. */
    @Test
    void aKernelsFeaturesAreItsShareOfPositiveOutputsAndItsLargest() {
        Rocket.Kernel kernel = new Rocket.Kernel(2, 2, 0, -0.5, new int[] {0}, new double[] {1, -1});
        double[][] x = {{0, 1, 2, 3, 5}};
        double[] f = new double[2];
        kernel.features(x, 5, f, 0);
        // outputs: 0 − 2 − 0.5, 1 − 3 − 0.5, 2 − 5 − 0.5: none positive, the largest −2.5
        assertEquals(0, f[0]);
        assertEquals(-2.5, f[1], 1e-12);
        double[][] reversed = {{5, 3, 2, 1, 0}};
        kernel.features(reversed, 5, f, 0);
        assertEquals(1, f[0]);
        assertEquals(2.5, f[1], 1e-12);
    }

    /** A sequence shorter than the dilated kernel is padded to give an output, not a division by zero. */
    @Test
    void aSequenceShorterThanTheKernelStillHasFeatures() {
        Rocket.Kernel kernel = new Rocket.Kernel(9, 8, 0, 0.1, new int[] {0}, new double[] {1, 0, 0, 0, 0, 0, 0, 0, -1});
        double[] f = new double[2];
        kernel.features(new double[][] {{1, 2, 3}}, 3, f, 0);
        assertTrue(f[0] >= 0 && f[0] <= 1 && Double.isFinite(f[1]));
    }

    @Test
    void clustersShapesOfDifferentLengths() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(150, new Random(1), labels);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores rocket = ClusteringScores.of(truth,
                new Rocket(Rocket.Settings.DEFAULTS, 3).fit(data, 1, TrainingProgress.NONE).labels());
        assertTrue(rocket.acc() >= 0.9, rocket.toString());
    }
}
