package io.seqclust.clustering;

import io.seqclust.clustering.Rocket.Kernel;
import io.seqclust.model.serving.FloatOps;

/**
 * Rocket's features of one sequence: each kernel's share of positive outputs (PPV) and largest output, in
 * float32. The sequence is copied once into zero-padded channel rows, so that no tap needs a bounds test;
 * each kernel's outputs are then accumulated a few taps at a time over all positions, in the order of the
 * definition (bias, then channel by channel, tap by tap), by one of two {@link Lanes} that do the same
 * float operations in the same order and so give the same bits: the Vector API's, when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (README's command, the images and the tests do), or plain Java
 * otherwise — which JDK 17's compiler does not vectorise, as it cannot prove the output row and an input
 * row distinct (measured, D = 12, T = 100, 2,000 kernels: 0.35 against 2.2 ms per sequence).
 */
final class KernelFeatures {

    /** The arithmetic over a kernel's outputs. */
    interface Lanes {

        /** Outputs are computed in blocks of this many (the rows and the scratch have room for the last). */
        int width();

        /**
         * {@code s[i] += w[from + j] * row[origin + i + j * dilation]} for every {@code i < blocks}, the taps
         * {@code j < taps} added one after the other.
         */
        void accumulate(float[] s, int blocks, float[] row, int origin, int dilation, float[] w, int from, int taps);

        /**
         * For each row q of {@code s}, {@code s[q][i] += w[first + q][from + j] * row[origin + i + j * dilation]} for every
         * {@code i < blocks}, the nine taps {@code j} added one after the other: kernels that read the same row (a Hydra
         * group's), which it loads once for all of them.
         */
        void nineTaps(float[][] s, int blocks, float[] row, int origin, int dilation, float[][] w, int first, int from);

        /**
         * For every {@code i < blocks}, the largest of the {@code s[q][i]} and its q (the first of a tie) into
         * {@code high[i]} and {@code best[i]}, the smallest and its q into {@code low[i]} and {@code worst[i]}.
         */
        void compete(float[][] s, int blocks, float[] high, float[] best, float[] low, float[] worst);

        /** Writes the share of {@code s[0..n)} above zero and its largest value at {@code out[at]}, {@code out[at + 1]}. */
        void summarise(float[] s, int n, double[] out, int at);
    }

    /** The lanes this JVM has at its best (Hydra's convolutions use them too). */
    static final Lanes BEST = FloatOps.vectorised() ? new VectorLanes() : new ScalarLanes();

    private KernelFeatures() {
    }

    /** Whether the Vector API serves (the JVM was started with {@code --add-modules jdk.incubator.vector}). */
    static boolean vectorised() {
        return FloatOps.vectorised();
    }

    /** A line for the log: which arithmetic computes the features, and how to get the faster one. */
    static String describe() {
        return FloatOps.vectorised() ? "vectorised (jdk.incubator.vector, " + BEST.width() + " float lanes)"
                : "plain Java (start the JVM with --add-modules jdk.incubator.vector for about 6x faster features)";
    }

    /** The features of x (T × D) by the best lanes this JVM has. */
    static double[] of(Kernel[] kernels, double[][] x) {
        return of(kernels, x, BEST);
    }

    static double[] of(Kernel[] kernels, double[][] x, Lanes lanes) {
        int steps = x.length;
        int dims = x[0].length;
        int width = lanes.width();
        int margin = 0;
        for (Kernel kernel : kernels) {
            margin = Math.max(margin, kernel.span() / 2);
        }
        // reads reach origin + span + blocks − 1 ≤ 2 · margin + steps + width − 2
        float[][] rows = new float[dims][steps + 2 * margin + width];
        for (int t = 0; t < steps; t++) {
            for (int d = 0; d < dims; d++) {
                rows[d][margin + t] = (float) x[t][d];
            }
        }
        float[] s = new float[steps + 1 + width];
        double[] f = new double[2 * kernels.length];
        for (int k = 0; k < kernels.length; k++) {
            Kernel kernel = kernels[k];
            int span = kernel.span();
            int pad = steps + 2 * kernel.padding() - span >= 1 ? kernel.padding() : (span + 1) / 2;
            int outputs = steps + 2 * pad - span;
            int blocks = (outputs + width - 1) / width * width;
            java.util.Arrays.fill(s, 0, blocks, kernel.bias());
            int[] channels = kernel.channels();
            for (int c = 0; c < channels.length; c++) {
                lanes.accumulate(s, blocks, rows[channels[c]], margin - pad, kernel.dilation(), kernel.weights(),
                        c * kernel.length(), kernel.length());
            }
            lanes.summarise(s, outputs, f, 2 * k);
        }
        return f;
    }

    /** Plain Java, tap by tap. */
    static final class ScalarLanes implements Lanes {

        @Override
        public int width() {
            return 1;
        }

        @Override
        public void accumulate(float[] s, int blocks, float[] row, int origin, int dilation, float[] w, int from, int taps) {
            for (int j = 0; j < taps; j++) {
                float weight = w[from + j];
                int offset = origin + j * dilation;
                for (int i = 0; i < blocks; i++) {
                    s[i] += weight * row[offset + i];
                }
            }
        }

        @Override
        public void nineTaps(float[][] s, int blocks, float[] row, int origin, int dilation, float[][] w, int first, int from) {
            for (int q = 0; q < s.length; q++) {
                accumulate(s[q], blocks, row, origin, dilation, w[first + q], from, 9);
            }
        }

        @Override
        public void compete(float[][] s, int blocks, float[] high, float[] best, float[] low, float[] worst) {
            for (int i = 0; i < blocks; i++) {
                high[i] = s[0][i];
                low[i] = s[0][i];
                best[i] = 0;
                worst[i] = 0;
                for (int q = 1; q < s.length; q++) {
                    float v = s[q][i];
                    if (v > high[i]) {
                        high[i] = v;
                        best[i] = q;
                    }
                    if (v < low[i]) {
                        low[i] = v;
                        worst[i] = q;
                    }
                }
            }
        }

        @Override
        public void summarise(float[] s, int n, double[] out, int at) {
            int positive = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                positive += s[i] > 0 ? 1 : 0;
                max = Math.max(max, s[i]);
            }
            out[at] = (double) positive / n;
            out[at + 1] = max;
        }
    }
}
