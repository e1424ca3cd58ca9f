package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocketTest {

    private static final List<KernelFeatures.Lanes> LANES = List.of(new KernelFeatures.ScalarLanes(), new VectorLanes());

    /** The build runs the tests with the Vector API, so that both lanes are tested and the service gets the fast one. */
    @Test
    void theTestsRunWithTheVectorApi() {
        assertTrue(KernelFeatures.vectorised(), KernelFeatures.describe());
    }

    /** A hand-checked kernel: weights (1, −1) at dilation 2 with bias −0.5 over 0, 1, 2, 3, 5 without padding. */
    @Test
    void aKernelsFeaturesAreItsShareOfPositiveOutputsAndItsLargest() {
        Rocket.Kernel[] kernel = {new Rocket.Kernel(2, 2, 0, -0.5f, new int[] {0}, new float[] {1, -1})};
        for (KernelFeatures.Lanes lanes : LANES) {
            // outputs: 0 − 2 − 0.5, 1 − 3 − 0.5, 2 − 5 − 0.5: none positive, the largest −2.5
            assertArrayEquals(new double[] {0, -2.5}, KernelFeatures.of(kernel, column(0, 1, 2, 3, 5), lanes), 1e-12);
            assertArrayEquals(new double[] {1, 2.5}, KernelFeatures.of(kernel, column(5, 3, 2, 1, 0), lanes), 1e-12);
        }
    }

    private static double[][] column(double... values) {
        return Arrays.stream(values).mapToObj(v -> new double[] {v}).toArray(double[][]::new);
    }

    /** A sequence shorter than the dilated kernel is padded to give an output, not a division by zero. */
    @Test
    void aSequenceShorterThanTheKernelStillHasFeatures() {
        Rocket.Kernel[] kernel = {new Rocket.Kernel(9, 8, 0, 0.1f, new int[] {0}, new float[] {1, 0, 0, 0, 0, 0, 0, 0, -1})};
        for (KernelFeatures.Lanes lanes : LANES) {
            double[] f = KernelFeatures.of(kernel, column(1, 2, 3), lanes);
            assertTrue(f[0] >= 0 && f[0] <= 1 && Double.isFinite(f[1]), Arrays.toString(f));
        }
    }

    /**
     * Both lanes give, to the bit, the features of the definition in float32: each output the bias plus its
     * taps that fall inside the sequence, channel by channel, tap by tap; drawn kernels (dilations, padding,
     * channel subsets) over sequences from shorter than most kernels to long.
     */
    @Test
    void featuresAreThoseOfThePerOutputDefinition() {
        Random random = new Random(5);
        for (int trial = 0; trial < 300; trial++) {
            int dims = 1 + random.nextInt(6);
            int steps = 1 + random.nextInt(trial < 100 ? 12 : 150);
            Rocket.Kernel[] kernels = new Rocket.Kernel[1 + random.nextInt(3)];
            for (int k = 0; k < kernels.length; k++) {
                kernels[k] = Rocket.Kernel.draw(random, 1 + random.nextInt(200), dims);
            }
            double[][] x = new double[steps][dims];
            for (double[] row : x) {
                for (int d = 0; d < dims; d++) {
                    row[d] = random.nextGaussian();
                }
            }
            double[] expected = new double[2 * kernels.length];
            for (int k = 0; k < kernels.length; k++) {
                System.arraycopy(definition(kernels[k], x), 0, expected, 2 * k, 2);
            }
            for (KernelFeatures.Lanes lanes : LANES) {
                assertArrayEquals(expected, KernelFeatures.of(kernels, x, lanes), 0,
                        lanes.getClass().getSimpleName() + ", trial " + trial);
            }
        }
    }

    private static double[] definition(Rocket.Kernel kernel, double[][] x) {
        int steps = x.length;
        int span = (kernel.length() - 1) * kernel.dilation();
        int pad = steps + 2 * kernel.padding() - span >= 1 ? kernel.padding() : (span + 1) / 2;
        int outputs = steps + 2 * pad - span;
        int positive = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < outputs; i++) {
            float s = kernel.bias();
            for (int c = 0; c < kernel.channels().length; c++) {
                for (int j = 0; j < kernel.length(); j++) {
                    int t = i - pad + j * kernel.dilation();
                    if (t >= 0 && t < steps) {
                        s += kernel.weights()[c * kernel.length() + j] * (float) x[t][kernel.channels()[c]];
                    }
                }
            }
            positive += s > 0 ? 1 : 0;
            max = Math.max(max, s);
        }
        return new double[] {(double) positive / outputs, max};
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
