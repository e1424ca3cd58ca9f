package io.seqclust.clustering;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelFeatures.Lanes} and {@link MiniRocketFeatures.Lanes} by the Vector API, the machine's widest
 * float vectors. For ROCKET's kernels, four taps per pass over
 * the outputs, each added after the other as the scalar lanes add them: a pass per
 * tap spent its time loading and storing the outputs (0.89 against 0.35 ms per sequence, measured), and
 * keeping the outputs in vector registers across taps made JDK 17 box the vectors (slower than scalar).
 * Loaded only when the module is present.
 */
final class VectorLanes implements KernelFeatures.Lanes, MiniRocketFeatures.Lanes {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public void accumulate(float[] s, int blocks, float[] row, int origin, int dilation, float[] w, int from, int taps) {
        int j = 0;
        for (; j + 3 < taps; j += 4) {
            float w0 = w[from + j];
            float w1 = w[from + j + 1];
            float w2 = w[from + j + 2];
            float w3 = w[from + j + 3];
            int o0 = origin + j * dilation;
            for (int i = 0; i < blocks; i += WIDTH) {
                FloatVector.fromArray(SPECIES, s, i)
                        .add(FloatVector.fromArray(SPECIES, row, o0 + i).mul(w0))
                        .add(FloatVector.fromArray(SPECIES, row, o0 + dilation + i).mul(w1))
                        .add(FloatVector.fromArray(SPECIES, row, o0 + 2 * dilation + i).mul(w2))
                        .add(FloatVector.fromArray(SPECIES, row, o0 + 3 * dilation + i).mul(w3))
                        .intoArray(s, i);
            }
        }
        // the one to three taps left: one pass (a pass of four with taps of weight zero measured 20-40 % slower)
        int left = taps - j;
        if (left > 0) {
            float w0 = w[from + j];
            float w1 = left > 1 ? w[from + j + 1] : 0f;
            float w2 = left > 2 ? w[from + j + 2] : 0f;
            int o0 = origin + j * dilation;
            int o1 = left > 1 ? o0 + dilation : o0;
            int o2 = left > 2 ? o0 + 2 * dilation : o0;
            for (int i = 0; i < blocks; i += WIDTH) {
                FloatVector v = FloatVector.fromArray(SPECIES, s, i).add(FloatVector.fromArray(SPECIES, row, o0 + i).mul(w0));
                if (left > 1) {
                    v = v.add(FloatVector.fromArray(SPECIES, row, o1 + i).mul(w1));
                }
                if (left > 2) {
                    v = v.add(FloatVector.fromArray(SPECIES, row, o2 + i).mul(w2));
                }
                v.intoArray(s, i);
            }
        }
    }

    @Override
    public void nineTaps(float[][] s, int blocks, float[] row, int origin, int dilation, float[][] w, int first, int from) {
        for (int i = 0; i < blocks; i += WIDTH) {
            int o = origin + i;
            FloatVector x0 = FloatVector.fromArray(SPECIES, row, o);
            FloatVector x1 = FloatVector.fromArray(SPECIES, row, o + dilation);
            FloatVector x2 = FloatVector.fromArray(SPECIES, row, o + 2 * dilation);
            FloatVector x3 = FloatVector.fromArray(SPECIES, row, o + 3 * dilation);
            FloatVector x4 = FloatVector.fromArray(SPECIES, row, o + 4 * dilation);
            FloatVector x5 = FloatVector.fromArray(SPECIES, row, o + 5 * dilation);
            FloatVector x6 = FloatVector.fromArray(SPECIES, row, o + 6 * dilation);
            FloatVector x7 = FloatVector.fromArray(SPECIES, row, o + 7 * dilation);
            FloatVector x8 = FloatVector.fromArray(SPECIES, row, o + 8 * dilation);
            for (int q = 0; q < s.length; q++) {
                float[] k = w[first + q];
                FloatVector.fromArray(SPECIES, s[q], i)
                        .add(x0.mul(k[from])).add(x1.mul(k[from + 1])).add(x2.mul(k[from + 2]))
                        .add(x3.mul(k[from + 3])).add(x4.mul(k[from + 4])).add(x5.mul(k[from + 5]))
                        .add(x6.mul(k[from + 6])).add(x7.mul(k[from + 7])).add(x8.mul(k[from + 8]))
                        .intoArray(s[q], i);
            }
        }
    }

    @Override
    public void compete(float[][] s, int blocks, float[] high, float[] best, float[] low, float[] worst) {
        for (int i = 0; i < blocks; i += WIDTH) {
            FloatVector h = FloatVector.fromArray(SPECIES, s[0], i);
            FloatVector l = h;
            FloatVector b = FloatVector.zero(SPECIES);
            FloatVector w = b;
            for (int q = 1; q < s.length; q++) {
                FloatVector v = FloatVector.fromArray(SPECIES, s[q], i);
                VectorMask<Float> above = v.compare(VectorOperators.GT, h);
                VectorMask<Float> below = v.compare(VectorOperators.LT, l);
                h = h.blend(v, above);
                b = b.blend(q, above);
                l = l.blend(v, below);
                w = w.blend(q, below);
            }
            h.intoArray(high, i);
            b.intoArray(best, i);
            l.intoArray(low, i);
            w.intoArray(worst, i);
        }
    }

    @Override
    public void summarise(float[] s, int n, double[] out, int at) {
        int full = SPECIES.loopBound(n);
        int positive = 0;
        FloatVector largest = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < full; i += WIDTH) {
            FloatVector v = FloatVector.fromArray(SPECIES, s, i);
            positive += v.compare(VectorOperators.GT, 0f).trueCount();
            largest = largest.max(v);
        }
        float max = largest.reduceLanes(VectorOperators.MAX);
        for (int i = full; i < n; i++) {
            positive += s[i] > 0 ? 1 : 0;
            max = Math.max(max, s[i]);
        }
        out[at] = (double) positive / n;
        out[at + 1] = max;
    }

    @Override
    public void negatedTapSum(float[] sum, int blocks, float[] row, int origin, int dilation) {
        // the nine taps written out: a vector carried round a loop is boxed by JDK 17 (see above; measured, the
        // transform less its kernels and counts went from 71 to 51 µs per sequence at D = 12, T = 100)
        for (int i = 0; i < blocks; i += WIDTH) {
            int o = origin + i;
            FloatVector.zero(SPECIES).sub(FloatVector.fromArray(SPECIES, row, o))
                    .sub(FloatVector.fromArray(SPECIES, row, o + dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 2 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 3 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 4 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 5 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 6 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 7 * dilation))
                    .sub(FloatVector.fromArray(SPECIES, row, o + 8 * dilation))
                    .intoArray(sum, i);
        }
    }

    @Override
    public void addKernel(float[] c, int blocks, float[] g, int o0, int o1, int o2, float[] sum) {
        for (int i = 0; i < blocks; i += WIDTH) {
            FloatVector.fromArray(SPECIES, g, o0 + i).add(FloatVector.fromArray(SPECIES, g, o1 + i))
                    .add(FloatVector.fromArray(SPECIES, g, o2 + i)).add(FloatVector.fromArray(SPECIES, sum, i))
                    .add(FloatVector.fromArray(SPECIES, c, i)).intoArray(c, i);
        }
    }

    @Override
    public void countAbove(float[] c, int from, int n, float[] biases, int[] counts) {
        for (int b = 0; b < biases.length; b++) {
            float bias = biases[b];
            int count = 0;
            for (int i = 0; i < n; i += WIDTH) {
                count += FloatVector.fromArray(SPECIES, c, from + i).compare(VectorOperators.GT, bias).trueCount();
            }
            counts[b] = count;
        }
    }
}
