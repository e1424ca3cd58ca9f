package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HydraFeaturesTest {

    /**
     * Every feature is the paper's, computed step by step: each kernel's output at a step is the sum over its channels
     * and taps of weight × input at step + (tap − 4) × dilation, zero outside the input; at each step the group's
     * largest output adds its value to its kernel's first feature and its smallest adds one to its second; both are
     * divided by the steps and square-rooted (a negative sum counts as zero). Over the sequence, then its difference;
     * the same bits by plain Java's lanes and the Vector API's.
     */
    @Test
    void featuresAreThoseOfTheStepByStepDefinition() {
        Random random = new Random(11);
        for (int dims : new int[] {1, 3}) {
            HydraFeatures hydra = HydraFeatures.fit(40, dims, random);
            for (int steps : new int[] {1, 2, 37, 80}) {
                double[][] x = Gaussian.matrix(random, steps, dims);
                double[] want = definition(hydra, x);
                assertArrayEquals(want, hydra.of(x), 0, "D=" + dims + ", T=" + steps);
                for (KernelFeatures.Lanes lanes : List.of(new KernelFeatures.ScalarLanes(), new VectorLanes())) {
                    assertArrayEquals(want, hydra.into(x, new double[hydra.featureCount()], lanes), 0,
                            lanes.getClass().getSimpleName() + ", D=" + dims + ", T=" + steps);
                }
            }
        }
    }

    private static double[] definition(HydraFeatures hydra, double[][] x) {
        double[] f = new double[hydra.featureCount()];
        int at = 0;
        for (int input = 0; input < 2; input++) {
            double[][] in = input == 0 ? x : difference(x);
            for (int d = 0; d < hydra.dilations().length; d++) {
                int dilation = hydra.dilations()[d];
                int s = 2 * d + input;
                for (int g = 0; g < HydraFeatures.GROUPS; g++) {
                    int[] channels = hydra.channels()[s][g];
                    float[][] outputs = new float[HydraFeatures.PER_GROUP][in.length];
                    for (int q = 0; q < HydraFeatures.PER_GROUP; q++) {
                        float[] w = hydra.weights()[s][g * HydraFeatures.PER_GROUP + q];
                        for (int t = 0; t < in.length; t++) {
                            float sum = 0f;
                            for (int c = 0; c < channels.length; c++) {
                                for (int j = 0; j < HydraFeatures.TAPS; j++) {
                                    int at2 = t + (j - HydraFeatures.TAPS / 2) * dilation;
                                    float v = at2 >= 0 && at2 < in.length ? (float) in[at2][channels[c]] : 0f;
                                    sum += w[c * HydraFeatures.TAPS + j] * v;
                                }
                            }
                            outputs[q][t] = sum;
                        }
                    }
                    double[] won = new double[HydraFeatures.PER_GROUP];
                    double[] lost = new double[HydraFeatures.PER_GROUP];
                    for (int t = 0; t < in.length; t++) {
                        int best = 0;
                        int worst = 0;
                        for (int q = 1; q < HydraFeatures.PER_GROUP; q++) {
                            best = outputs[q][t] > outputs[best][t] ? q : best;
                            worst = outputs[q][t] < outputs[worst][t] ? q : worst;
                        }
                        won[best] += outputs[best][t];
                        lost[worst]++;
                    }
                    for (int q = 0; q < HydraFeatures.PER_GROUP; q++) {
                        f[at + q] = Math.sqrt(Math.max(0, won[q] / in.length));
                        f[at + HydraFeatures.PER_GROUP + q] = Math.sqrt(lost[q] / in.length);
                    }
                    at += 2 * HydraFeatures.PER_GROUP;
                }
            }
        }
        return f;
    }

    /** The first difference; a sequence of one step has a difference of one zero step. */
    private static double[][] difference(double[][] x) {
        if (x.length == 1) {
            return new double[1][x[0].length];
        }
        double[][] d = new double[x.length - 1][x[0].length];
        for (int t = 0; t < d.length; t++) {
            for (int c = 0; c < d[t].length; c++) {
                d[t][c] = x[t + 1][c] - x[t][c];
            }
        }
        return d;
    }

    /**
     * Dilations 1, 2, 4, … up to (L − 1) / 8 for the typical length L (one for short windows); kernels of nine taps,
     * centred, of unit absolute sum; a group reads one channel of one, ⌊D/2⌋ + 1 distinct channels of several.
     */
    @Test
    void dilationsSpanTheTypicalLengthAndKernelsAreCentred() {
        Random random = new Random(2);
        assertArrayEquals(new int[] {1}, HydraFeatures.fit(9, 1, random).dilations());
        assertArrayEquals(new int[] {1, 2}, HydraFeatures.fit(17, 1, random).dilations());
        HydraFeatures long1000 = HydraFeatures.fit(1000, 1, random);
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 64}, long1000.dilations());
        assertEquals(7 * 2 * HydraFeatures.GROUPS * HydraFeatures.PER_GROUP * 2, long1000.featureCount());
        HydraFeatures five = HydraFeatures.fit(50, 5, random);
        for (int s = 0; s < five.weights().length; s++) {
            for (int g = 0; g < HydraFeatures.GROUPS; g++) {
                assertEquals(3, Arrays.stream(five.channels()[s][g]).distinct().count());
            }
            for (float[] w : five.weights()[s]) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    double absolute = 0;
                    for (int j = 0; j < HydraFeatures.TAPS; j++) {
                        sum += w[c * HydraFeatures.TAPS + j];
                        absolute += Math.abs(w[c * HydraFeatures.TAPS + j]);
                    }
                    assertEquals(0, sum, 1e-6);
                    assertEquals(1, absolute, 1e-6);
                }
            }
        }
    }

    /** At every step one kernel of a group loses: a group's loss features are square roots of shares that sum to 1. */
    @Test
    void aGroupsLossesShareEveryStep() {
        Random random = new Random(4);
        HydraFeatures hydra = HydraFeatures.fit(64, 1, random);
        double[] f = hydra.of(Gaussian.matrix(random, 50, 1));
        for (int at = 0; at < f.length; at += 2 * HydraFeatures.PER_GROUP) {
            double shares = 0;
            for (int q = 0; q < HydraFeatures.PER_GROUP; q++) {
                shares += f[at + HydraFeatures.PER_GROUP + q] * f[at + HydraFeatures.PER_GROUP + q];
            }
            assertEquals(1, shares, 1e-12, "group at " + at);
        }
    }

    /** Written and read, the kernels give the same features; a payload with dilations that are not 1, 2, 4, … is refused. */
    @Test
    void roundTripsThroughThePayload() {
        Random random = new Random(6);
        HydraFeatures hydra = HydraFeatures.fit(30, 2, random);
        PayloadWriter out = new PayloadWriter();
        hydra.write(out);
        PayloadReader in = new PayloadReader(out.toBytes());
        HydraFeatures read = HydraFeatures.read(in, 2);
        in.end();
        double[][] x = Gaussian.matrix(random, 33, 2);
        assertArrayEquals(hydra.of(x), read.of(x), 0);
        PayloadWriter bad = new PayloadWriter().writeInt(2).writeInts(new int[] {1, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HydraFeatures.read(new PayloadReader(bad.toBytes()), 2));
        assertTrue(e.getMessage().contains("dilation 1 was 3"), e.getMessage());
        PayloadReader fewerChannels = new PayloadReader(out.toBytes());
        assertThrows(IllegalArgumentException.class, () -> HydraFeatures.read(fewerChannels, 1),
                "groups that read two channels do not fit sequences of one");
    }
}
