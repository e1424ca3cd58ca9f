package io.seqclust.clustering;

import io.seqclust.model.serving.FloatOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * MiniRocket's transform (Dempster, Schmidt &amp; Webb 2021) with R-Clustering's two changes (Marco-Blanco &amp;
 * Cuevas 2024: the kernels' order and the quantiles randomly permuted), for variable lengths and several
 * channels. Its 84 kernels have nine taps of weight −1, three of them raised to 2 (every choice of three of
 * nine); at each of a few dilations, spread exponentially up to the window's typical length, a kernel sums
 * its outputs over a random subset of the channels, and each of its biases gives one feature: the share of
 * its outputs above the bias (PPV) over the sequence's own length. The biases are quantiles of the kernel's
 * output on a sequence drawn from the window, so the features spread.
 *
 * <p>Why the weights make it cheap: an output is {@code 3 · (x[t + o₀] + x[t + o₁] + x[t + o₂]) − Σⱼ x[t + oⱼ]},
 * so per dilation each channel's nine-tap sum is computed once and shared by all 84 kernels, and each kernel
 * adds three shifted rows; its biases then only count. The arithmetic is float32 through one of two
 * {@link Lanes} that do the same operations in the same order and so give the same bits (the Vector API's
 * when the JVM has the module, as {@link KernelFeatures} explains).
 */
final class MiniRocketFeatures {

    static final int KERNELS = 84;
    static final int TAPS = 9;
    private static final int CENTRE = TAPS / 2;
    /** Each kernel's three taps of weight 2: every choice of three of nine, in lexicographic order. */
    private static final int[][] RAISED = raisedTaps();

    /** The arithmetic over a kernel's outputs. */
    interface Lanes {

        /** Outputs are computed in blocks of this many (rows and scratch have room for the last). */
        int width();

        /** {@code sum[i] = −Σⱼ row[origin + j · dilation + i]}, j from 0 to 8 subtracted in order, for {@code i < blocks}. */
        void negatedTapSum(float[] sum, int blocks, float[] row, int origin, int dilation);

        /** {@code c[i] += ((g[o0 + i] + g[o1 + i]) + g[o2 + i]) + sum[i]} for {@code i < blocks}. */
        void addKernel(float[] c, int blocks, float[] g, int o0, int o1, int o2, float[] sum);

        /**
         * For each bias, how many of {@code c[from .. from + n)} are above it, into {@code counts}. c holds
         * −∞ from {@code from + n} up to a block beyond, so that whole blocks may be counted. One pass over c for
         * all of a kernel's biases.
         */
        void countAbove(float[] c, int from, int n, float[] biases, int[] counts);
    }

    private static final Lanes BEST = FloatOps.vectorised() ? new VectorLanes() : new ScalarLanes();
    private static final ThreadLocal<Prepared> KEPT = ThreadLocal.withInitial(() -> new Prepared(BEST));

    /**
     * One of the 84 kernels at one dilation.
     *
     * @param raised   which of the 84 weight patterns (an index into every choice of three taps of nine)
     * @param channels the channels whose outputs it sums
     * @param padded   whether its outputs run over the whole sequence (zeros beyond it) or only where every
     *                 tap is inside; alternating, as MiniRocket does; a sequence too short for the latter is padded
     * @param biases   one feature each
     */
    record Kernel(int dilation, int raised, int[] channels, boolean padded, float[] biases) {
    }

    private MiniRocketFeatures() {
    }

    /**
     * The kernels for a window (normalised): dilations 2^(i · e / (m − 1)) (i &lt; m, truncated, repeats merged),
     * e = log₂((L − 1) / 8) for the window's median length L, m = min(features / 84, maxDilations); the features
     * spread over the dilations as MiniRocket spreads them; each kernel's channel count 2^U(0, log₂(min(D, c, 9) + 1))
     * and its biases the quantiles (a permuted golden-ratio sequence) of its full padded output on one
     * window sequence.
     */
    static Kernel[] fit(List<double[][]> window, int features, int maxDilations, int maxChannels, Random random) {
        int dims = window.get(0)[0].length;
        int[] lengths = window.stream().mapToInt(x -> x.length).sorted().toArray();
        int typical = lengths[lengths.length / 2];
        int perKernel = Math.max(1, features / KERNELS);
        int steps = Math.min(perKernel, maxDilations);
        double exponent = Math.max(0, Math.log((typical - 1) / (double) (TAPS - 1)) / Math.log(2));
        int[] drawn = IntStream.range(0, steps)
                .map(i -> (int) Math.pow(2, steps == 1 ? 0 : exponent * i / (steps - 1))).toArray();
        int[] dilations = Arrays.stream(drawn).distinct().toArray();
        int[] perDilation = new int[dilations.length];
        double multiplier = perKernel / (double) steps;
        int given = 0;
        for (int i = 0; i < dilations.length; i++) {
            int dilation = dilations[i];
            perDilation[i] = (int) (Arrays.stream(drawn).filter(v -> v == dilation).count() * multiplier);
            given += perDilation[i];
        }
        for (int i = 0; given < perKernel; i = (i + 1) % dilations.length, given++) {
            perDilation[i]++;
        }
        int[] order = permutation(KERNELS, random);
        float[] quantiles = new float[KERNELS * perKernel];
        double golden = (Math.sqrt(5) + 1) / 2;
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = (float) (((i + 1) * golden) % 1);
        }
        int[] shuffled = permutation(quantiles.length, random);
        List<Kernel> kernels = new ArrayList<>();
        int q = 0;
        for (int d = 0; d < dilations.length; d++) {
            for (int j = 0; j < KERNELS; j++) {
                int[] channels = channels(Math.min(dims, maxChannels), dims, random);
                double[][] example = window.get(random.nextInt(window.size()));
                Kernel unbiased = new Kernel(dilations[d], order[j], channels, (d + j) % 2 == 0, new float[0]);
                float[] outputs = KEPT.get().load(new Kernel[] {unbiased}, example).outputs(unbiased);
                Arrays.sort(outputs);
                float[] biases = new float[perDilation[d]];
                for (int b = 0; b < biases.length; b++) {
                    biases[b] = quantile(outputs, quantiles[shuffled[q++]]);
                }
                kernels.add(new Kernel(dilations[d], order[j], channels, (d + j) % 2 == 0, biases));
            }
        }
        return kernels.toArray(Kernel[]::new);
    }

    static int featureCount(Kernel[] kernels) {
        return Arrays.stream(kernels).mapToInt(k -> k.biases().length).sum();
    }

    /** The features of x (T × D, normalised) by the best lanes this JVM has. */
    static double[] of(Kernel[] kernels, double[][] x) {
        return into(kernels, x, new double[featureCount(kernels)]);
    }

    /**
     * The features of x written into the first {@link #featureCount} places of {@code f}, returned; the sequence is
     * laid out in this thread's kept arrays: serving made them anew for every record (23 of the ~300 KB minirocket
     * allocated per record, JFR).
     */
    static double[] into(Kernel[] kernels, double[][] x, double[] f) {
        return KEPT.get().load(kernels, x).featuresInto(kernels, f);
    }

    static double[] of(Kernel[] kernels, double[][] x, Lanes lanes) {
        return new Prepared(lanes).load(kernels, x).featuresInto(kernels, new double[featureCount(kernels)]);
    }

    /**
     * A sequence laid out for the kernels: its rows (and three times them) with zeros either side. Its arrays are
     * kept from one sequence to the next and grow when a sequence needs more.
     */
    private static final class Prepared {
        private final Lanes lanes;
        private int steps;
        private int dims;
        private int margin;
        private int blocks;
        private float[][] rows = new float[0][];
        private float[][] tripled = new float[0][];
        private float[][] sums = new float[0][];
        private float[] c = new float[0];
        private int[] counts = new int[0];
        private int sumsDilation;

        Prepared(Lanes lanes) {
            this.lanes = lanes;
        }

        Prepared load(Kernel[] kernels, double[][] x) {
            steps = x.length;
            dims = x[0].length;
            int width = lanes.width();
            margin = CENTRE * Arrays.stream(kernels).mapToInt(Kernel::dilation).max().orElse(1);
            blocks = (steps + width - 1) / width * width;
            // reads reach margin + CENTRE · dilation + blocks − 1 ≤ 2 · margin + steps + width − 2
            int length = steps + 2 * margin + width;
            rows = zeroed(rows, dims, length);
            tripled = zeroed(tripled, dims, length);
            for (int t = 0; t < steps; t++) {
                for (int d = 0; d < dims; d++) {
                    float v = (float) x[t][d];
                    rows[d][margin + t] = v;
                    tripled[d][margin + t] = v + v + v;
                }
            }
            sums = zeroed(sums, dims, blocks);
            if (c.length < blocks + width) {
                c = new float[blocks + width];
            }
            sumsDilation = 0;
            return this;
        }

        /** At least {@code dims} rows of at least {@code length}, the first {@code length} of each zero. */
        private static float[][] zeroed(float[][] kept, int dims, int length) {
            float[][] rows = kept.length >= dims ? kept : Arrays.copyOf(kept, dims);
            for (int d = 0; d < dims; d++) {
                if (rows[d] == null || rows[d].length < length) {
                    rows[d] = new float[length];
                } else {
                    Arrays.fill(rows[d], 0, length, 0f);
                }
            }
            return rows;
        }

        double[] featuresInto(Kernel[] kernels, double[] f) {
            int at = 0;
            for (Kernel kernel : kernels) {
                at = features(kernel, f, at);
            }
            return f;
        }

        /** Writes the kernel's features from {@code f[at]}; returns where the next kernel's begin. */
        int features(Kernel kernel, double[] f, int at) {
            convolve(kernel);
            int from = 0;
            int n = steps;
            int inside = steps - 2 * CENTRE * kernel.dilation();
            if (!kernel.padded() && inside >= 1) {
                from = CENTRE * kernel.dilation();
                n = inside;
            }
            Arrays.fill(c, from + n, from + n + lanes.width(), Float.NEGATIVE_INFINITY);
            float[] biases = kernel.biases();
            if (counts.length < biases.length) {
                counts = new int[biases.length];
            }
            lanes.countAbove(c, from, n, biases, counts);
            for (int b = 0; b < biases.length; b++) {
                f[at++] = (double) counts[b] / n;
            }
            return at;
        }

        /** The kernel's outputs over the whole (padded) sequence. */
        float[] outputs(Kernel kernel) {
            convolve(kernel);
            return Arrays.copyOf(c, steps);
        }

        private void convolve(Kernel kernel) {
            int dilation = kernel.dilation();
            if (dilation != sumsDilation) {
                for (int d = 0; d < dims; d++) {
                    lanes.negatedTapSum(sums[d], blocks, rows[d], margin - CENTRE * dilation, dilation);
                }
                sumsDilation = dilation;
            }
            // the kept array may be longer, from a longer sequence: only this one's blocks and the lanes past them are read
            Arrays.fill(c, 0, blocks + lanes.width(), 0f);
            int[] raised = RAISED[kernel.raised()];
            for (int channel : kernel.channels()) {
                lanes.addKernel(c, blocks, tripled[channel], margin + (raised[0] - CENTRE) * dilation,
                        margin + (raised[1] - CENTRE) * dilation, margin + (raised[2] - CENTRE) * dilation, sums[channel]);
            }
        }
    }

    /** MiniRocket's multivariate draw: 2^U(0, log₂(min(most, 9) + 1)) channels (truncated) of D, without repeats. */
    private static int[] channels(int most, int dims, Random random) {
        double exponent = Math.log(Math.min(most, TAPS) + 1) / Math.log(2);
        int count = Math.max(1, Math.min(dims, (int) Math.pow(2, random.nextDouble() * exponent)));
        return Arrays.copyOf(permutation(dims, random), count);
    }

    static int[] permutation(int n, Random random) {
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = p[i];
            p[i] = p[j];
            p[j] = swap;
        }
        return p;
    }

    /** The q-quantile of sorted values, interpolated linearly between order statistics (NumPy's default). */
    static float quantile(float[] sorted, float q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return (float) (sorted[below] + (position - below) * (sorted[above] - sorted[below]));
    }

    private static int[][] raisedTaps() {
        List<int[]> all = new ArrayList<>();
        for (int a = 0; a < TAPS; a++) {
            for (int b = a + 1; b < TAPS; b++) {
                for (int c = b + 1; c < TAPS; c++) {
                    all.add(new int[] {a, b, c});
                }
            }
        }
        return all.toArray(int[][]::new);
    }

    /** Plain Java. */
    static final class ScalarLanes implements Lanes {

        @Override
        public int width() {
            return 1;
        }

        @Override
        public void negatedTapSum(float[] sum, int blocks, float[] row, int origin, int dilation) {
            for (int i = 0; i < blocks; i++) {
                float s = 0f;
                for (int j = 0; j < TAPS; j++) {
                    s -= row[origin + j * dilation + i];
                }
                sum[i] = s;
            }
        }

        @Override
        public void addKernel(float[] c, int blocks, float[] g, int o0, int o1, int o2, float[] sum) {
            for (int i = 0; i < blocks; i++) {
                c[i] += ((g[o0 + i] + g[o1 + i]) + g[o2 + i]) + sum[i];
            }
        }

        @Override
        public void countAbove(float[] c, int from, int n, float[] biases, int[] counts) {
            for (int b = 0; b < biases.length; b++) {
                int count = 0;
                for (int i = from; i < from + n; i++) {
                    count += c[i] > biases[b] ? 1 : 0;
                }
                counts[b] = count;
            }
        }
    }
}
