package io.seqclust.model.serving;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorOpsTest {

    private static final int WIDTH = FloatVector.SPECIES_PREFERRED.length();

    /** Every float step of 1/4096 over ±12 (past both ends of the clamp) and a few extremes, against Math's. */
    @Test
    void theGatesActivationsAreWithinAFewUlpOfMathsOwn() {
        float[] x = new float[2 * 12 * 4096 + 1 + 6];
        for (int i = 0; i < 2 * 12 * 4096 + 1; i++) {
            x[i] = (i - 12 * 4096) / 4096f;
        }
        float[] extremes = {0f, -0f, 1e-30f, -1e-30f, 1e30f, -Float.MAX_VALUE};
        System.arraycopy(extremes, 0, x, x.length - extremes.length, extremes.length);
        float[] padded = java.util.Arrays.copyOf(x, (x.length + WIDTH - 1) / WIDTH * WIDTH);
        float[] tanh = new float[padded.length];
        float[] sigmoid = new float[padded.length];
        for (int i = 0; i < padded.length; i += WIDTH) {
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, padded, i);
            VectorOps.tanh(v).intoArray(tanh, i);
            VectorOps.sigmoid(v).intoArray(sigmoid, i);
        }
        double worstTanh = 0;
        double worstSigmoid = 0;
        for (int i = 0; i < x.length; i++) {
            worstTanh = Math.max(worstTanh, Math.abs(tanh[i] - Math.tanh(x[i])));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(sigmoid[i] - 1 / (1 + Math.exp(-x[i]))));
            assertTrue(Math.abs(tanh[i]) <= 1f && sigmoid[i] >= 0f && sigmoid[i] <= 1f, "in range at " + x[i]);
        }
        assertTrue(worstTanh < 4e-7, "tanh within 4e-7, worst " + worstTanh);
        assertTrue(worstSigmoid < 2.5e-7, "sigmoid within 2.5e-7, worst " + worstSigmoid);
        assertEquals(0f, tanh[x.length - 6], "tanh(0)");
    }

    /** A call over several rows gives each row what a call for that row alone gives; stride 0 reads one state for all. */
    @Test
    void gatesOverRowsAreEachRowsOwn() {
        Random random = new Random(4);
        int units = 2 * WIDTH;
        int rows = 5;
        float[] gx = randoms(rows * 3 * units, random);
        float[] gh = randoms(rows * 3 * units, random);
        float[] prev = randoms(rows * units, random);
        for (FloatOps ops : new FloatOps[] {new VectorOps(), new FloatOps.Scalar()}) {
            for (int stride : new int[] {units, 0}) {
                float[] gates = new float[rows * 3 * units];
                float[] h = new float[rows * units];
                ops.gruGates(rows, gx, gh, 0, prev, 0, stride, gates, h, 0, units);
                for (int b = 0; b < rows; b++) {
                    float[] oneGates = new float[rows * 3 * units];
                    float[] oneH = new float[units];
                    ops.gruGates(1, gx, gh, 3 * b * units, prev, b * stride, units, oneGates, oneH, 0, units);
                    for (int j = 0; j < units; j++) {
                        assertEquals(oneH[j], h[b * units + j], ops.getClass().getSimpleName() + " row " + b + ", stride " + stride);
                    }
                    for (int j = 0; j < 3 * units; j++) {
                        assertEquals(oneGates[3 * b * units + j], gates[3 * b * units + j]);
                    }
                }
            }
        }
    }

    /**
     * Each row of a product, over the tiles of every width (three vectors, two, one) and rows past the last four, is
     * the row's own FMAs over q in order, to the bit; multiplyFrom is the same product onto rows that held the bias.
     */
    @Test
    void aProductsRowsAreTheirOwnFmasInOrderStartingFromTheRowOrTheBias() {
        Random random = new Random(5);
        VectorOps ops = new VectorOps();
        for (int vectors = 1; vectors <= 6; vectors++) {
            int n = vectors * WIDTH;
            for (int m = 1; m <= 9; m++) {
                for (int k : new int[] {1, 5, 12}) {
                    int aStride = k + 3;
                    int cStride = n + WIDTH;
                    float[] a = randoms(m * aStride, random);
                    float[] b = randoms(k * n, random);
                    float[] bias = randoms(n, random);
                    float[] c = randoms(m * cStride, random);
                    float[] onto = c.clone();
                    ops.multiply(a, 0, aStride, m, k, b, 0, onto, 0, cStride, n);
                    float[] fromBias = c.clone();
                    ops.multiplyFrom(bias, a, 0, aStride, m, k, b, 0, fromBias, 0, cStride, n);
                    for (int i = 0; i < m; i++) {
                        float[] row = java.util.Arrays.copyOfRange(a, i * aStride, i * aStride + k);
                        float[] expected = java.util.Arrays.copyOfRange(c, i * cStride, i * cStride + n);
                        addRows(row, b, expected);
                        float[] expectedFromBias = bias.clone();
                        addRows(row, b, expectedFromBias);
                        for (int j = 0; j < n; j++) {
                            String where = "n " + n + ", m " + m + ", k " + k + ", row " + i + ", column " + j;
                            assertEquals(expected[j], onto[i * cStride + j], where);
                            assertEquals(expectedFromBias[j], fromBias[i * cStride + j], where + ", from the bias");
                        }
                        for (int j = n; j < cStride && i * cStride + j < c.length; j++) {
                            assertEquals(c[i * cStride + j], fromBias[i * cStride + j], "past n untouched");
                        }
                    }
                }
            }
        }
    }

    /** {@code y[j] = fma(a[q], b[q n + j], y[j])} for q in order: one row of a product, element by element. */
    private static void addRows(float[] a, float[] b, float[] y) {
        int n = y.length;
        for (int q = 0; q < a.length; q++) {
            for (int j = 0; j < n; j++) {
                y[j] = Math.fma(a[q], b[q * n + j], y[j]);
            }
        }
    }

    private static float[] randoms(int n, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (3 * random.nextGaussian());
        }
        return v;
    }
}
