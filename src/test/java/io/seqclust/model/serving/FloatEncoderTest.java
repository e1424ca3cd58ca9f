package io.seqclust.model.serving;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;
import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatEncoderTest {

    private static final List<FloatOps> OPS = List.of(new FloatOps.Scalar(), new VectorOps());

    @Test
    void theTestsRunWithTheVectorApi() {
        assertTrue(FloatOps.vectorised(), "the build starts the tests with --add-modules jdk.incubator.vector");
    }

    /** RDDC's shape: equal layers, no dilation, the last layer's final states; sequences of 1 to 100 steps. */
    @Test
    void rddcsEncoderGivesTheTrainingPassesEncodingToFloatPrecision() {
        Random random = new Random(1);
        BiGruEncoder.Weights w = weights(12, new int[] {32, 32}, new int[] {1, 1}, false, random);
        for (int steps : new int[] {1, 2, 7, 100}) {
            check(w, Gaussian.matrix(random, steps, 12));
        }
    }

    /** DTCR's shape: uneven layers (50 units is not a multiple of any vector width), dilations, every layer's states. */
    @Test
    void dtcrsDilatedEncoderGivesTheTrainingPassesEncodingToFloatPrecision() {
        Random random = new Random(2);
        BiGruEncoder.Weights w = weights(3, new int[] {50, 30, 30}, new int[] {1, 4, 16}, true, random);
        for (int steps : new int[] {1, 5, 17, 60}) {
            check(w, Gaussian.matrix(random, steps, 3));
        }
    }

    /**
     * A batch gives each sequence's own encoding, whatever the order and mix of lengths (equal ones, a single
     * step, the longest not first): both shapes, both arithmetics, equal to the one-at-a-time pass to float rounding.
     */
    @Test
    void aBatchGivesEachSequencesOwnEncoding() {
        Random random = new Random(3);
        List<BiGruEncoder.Weights> shapes = List.of(weights(12, new int[] {32, 32}, new int[] {1, 1}, false, random),
                weights(3, new int[] {50, 30, 30}, new int[] {1, 4, 16}, true, random));
        for (BiGruEncoder.Weights w : shapes) {
            List<double[][]> batch = new java.util.ArrayList<>();
            for (int steps : new int[] {7, 1, 40, 7, 23, 2, 40, 5, 17}) {
                batch.add(Gaussian.matrix(random, steps, w.in()));
            }
            for (FloatOps ops : OPS) {
                FloatEncoder encoder = new FloatEncoder(w, ops);
                double[][] got = encoder.encodeAll(batch);
                assertEquals(batch.size(), got.length);
                for (int b = 0; b < batch.size(); b++) {
                    double[] expected = encoder.encode(batch.get(b));
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], got[b][i], 1e-6, ops.getClass().getSimpleName() + ", sequence " + b + ", unit " + i);
                    }
                }
            }
        }
    }

    /**
     * A thread keeps its working arrays from one batch to the next: batches of other sizes, shapes and lengths in
     * between, and one too large for them to be kept, leave a batch's encodings as they were, to the bit, and as
     * another thread gives them.
     */
    @Test
    void aBatchGivesTheSameEncodingsWhateverTheThreadEncodedBefore() throws Exception {
        Random random = new Random(6);
        BiGruEncoder.Weights rddc = weights(12, new int[] {32, 32}, new int[] {1, 1}, false, random);
        BiGruEncoder.Weights dtcr = weights(3, new int[] {50, 30, 30}, new int[] {1, 4, 16}, true, random);
        FloatEncoder encoder = new FloatEncoder(rddc);
        List<double[][]> batch = new java.util.ArrayList<>();
        for (int steps : new int[] {30, 3, 17, 30}) {
            batch.add(Gaussian.matrix(random, steps, 12));
        }
        double[][] first = encoder.encodeAll(batch);
        List<double[][]> longer = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            longer.add(Gaussian.matrix(random, 60 + i, 12));
        }
        encoder.encodeAll(longer);
        List<double[][]> tooLarge = new java.util.ArrayList<>();
        int steps = FloatEncoder.Workspace.KEPT / 12 / 4 + 1;
        for (int i = 0; i < 4; i++) {
            tooLarge.add(Gaussian.matrix(random, steps, 12));
        }
        double[][] large = encoder.encodeAll(tooLarge);
        new FloatEncoder(dtcr).encodeAll(List.of(Gaussian.matrix(random, 40, 3), Gaussian.matrix(random, 9, 3)));
        double[][] again = encoder.encodeAll(batch);
        double[][][] elsewhere = new double[1][][];
        Thread other = new Thread(() -> elsewhere[0] = encoder.encodeAll(batch));
        other.start();
        other.join();
        for (int b = 0; b < batch.size(); b++) {
            assertArrayEquals(first[b], again[b], "sequence " + b + " after other batches");
            assertArrayEquals(first[b], elsewhere[0][b], "sequence " + b + " on another thread");
        }
        double[] alone = encoder.encode(tooLarge.get(2));
        for (int i = 0; i < alone.length; i++) {
            assertEquals(alone[i], large[2][i], 1e-5, "the batch too large to keep, unit " + i);
        }
    }

    private static void check(BiGruEncoder.Weights w, double[][] x) {
        double[] expected = w.encode(x);
        for (FloatOps ops : OPS) {
            double[] got = new FloatEncoder(w, ops).encode(x);
            assertEquals(expected.length, got.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 2e-5, ops.getClass().getSimpleName() + ", T = " + x.length + ", unit " + i);
            }
        }
    }

    /** Weights and biases all drawn (the trainable layers start their biases at zero, which would test less). */
    private static BiGruEncoder.Weights weights(int in, int[] units, int[] dilations, boolean allLayers, Random random) {
        Gru.Weights[] f = new Gru.Weights[units.length];
        Gru.Weights[] b = new Gru.Weights[units.length];
        for (int l = 0; l < units.length; l++) {
            int layerIn = l == 0 ? in : 2 * units[l - 1];
            f[l] = direction(layerIn, units[l], false, dilations[l], random);
            b[l] = direction(layerIn, units[l], true, dilations[l], random);
        }
        return new BiGruEncoder.Weights(f, b, allLayers);
    }

    private static Gru.Weights direction(int in, int h, boolean reverse, int dilation, Random random) {
        return Gru.Weights.of(in, h, reverse, dilation, gaussian(3 * h * in, 0.4, random), gaussian(3 * h * h, 0.3, random),
                gaussian(3 * h, 0.5, random), gaussian(3 * h, 0.5, random));
    }

    private static double[] gaussian(int n, double sd, Random random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * random.nextGaussian();
        }
        return v;
    }
}
