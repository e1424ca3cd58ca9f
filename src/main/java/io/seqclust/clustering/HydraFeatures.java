package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Hydra's competing convolutional kernels (Dempster, Schmidt &amp; Webb, DMKD 2023), for variable lengths. At each
 * dilation 2^i (i up to log₂((L − 1) / 8), L the window's typical length), over the sequence and over its first
 * difference, {@value #GROUPS} groups of {@value #PER_GROUP} random kernels of nine taps (normal weights, centred,
 * scaled to unit absolute sum; zero padding keeps every step) compete at every step: the group's largest output adds
 * its value to its kernel's first feature, and the smallest adds one to its kernel's second. The two are divided by
 * the steps, so sequences of different lengths compare, and square-rooted, as the paper's scaler does.
 *
 * <p>Why a second transform beside MiniRocket's PPV: a PPV feature says how often one kernel's output passes a bias;
 * Hydra's say which of several patterns fits best where, a dictionary of shapes. On some one-channel sets of the
 * suite it separates the classes far better (OSULeaf, DiatomSizeReduction), on others worse (Trace, GesturePebbleZ1),
 * so {@link MiniRocket} trains both for one channel and serves the one whose draws agree more. Its counts are sparse
 * (a kernel that never wins is zero), which is why {@link ProjectedClustering} scales them as Hydra's authors do. For
 * several channels each group sums over a random half of them; that lost on every multichannel set of the suite, so
 * {@link MiniRocket} uses it for one channel only unless asked.
 *
 * @param dilations the dilations, ascending
 * @param weights   per dilation and input (the sequence, then its difference: index 2 · dilation + input), each
 *                  kernel's nine taps per channel it reads, groups one after the other
 * @param channels  per dilation and input, each group's channels
 */
record HydraFeatures(int[] dilations, float[][][] weights, int[][][] channels) implements KernelTransform {

    static final int PER_GROUP = 8;
    /** Groups per dilation and input: the paper's 64 per dilation, half on the sequence and half on its difference. */
    static final int GROUPS = 32;
    static final int TAPS = 9;
    private static final int CENTRE = TAPS / 2;
    private static final int INPUTS = 2;
    /** Dilations at most: 2^15 already spans the longest sequence a resampled window has. */
    static final int MAX_DILATIONS = 17;

    HydraFeatures {
        if (dilations.length == 0 || weights.length != INPUTS * dilations.length || channels.length != weights.length) {
            throw new IllegalArgumentException("Hydra needs weights and channels for each of its dilations and inputs");
        }
        for (int s = 0; s < weights.length; s++) {
            if (channels[s].length != GROUPS || weights[s].length != GROUPS * PER_GROUP) {
                throw new IllegalArgumentException("Hydra has " + GROUPS + " groups of " + PER_GROUP + " kernels per dilation and input");
            }
            for (int g = 0; g < GROUPS; g++) {
                for (int q = 0; q < PER_GROUP; q++) {
                    if (weights[s][g * PER_GROUP + q].length != TAPS * channels[s][g].length) {
                        throw new IllegalArgumentException("a Hydra kernel has nine taps per channel it reads");
                    }
                }
            }
        }
    }

    /**
     * Kernels for sequences of typically {@code length} steps and {@code dims} channels, drawn from {@code random}; each
     * group reads one channel of one, a random ⌊D/2⌋ + 1 of several.
     */
    static HydraFeatures fit(int length, int dims, Random random) {
        double exponent = Math.max(0, Math.log((length - 1) / (double) (TAPS - 1)) / Math.log(2));
        int[] dilations = IntStream.range(0, Math.min(MAX_DILATIONS, (int) exponent + 1)).map(i -> 1 << i).toArray();
        int read = dims == 1 ? 1 : Math.min(dims, dims / 2 + 1);
        float[][][] weights = new float[INPUTS * dilations.length][GROUPS * PER_GROUP][];
        int[][][] channels = new int[weights.length][GROUPS][];
        for (int s = 0; s < weights.length; s++) {
            for (int g = 0; g < GROUPS; g++) {
                channels[s][g] = Arrays.copyOf(MiniRocketFeatures.permutation(dims, random), read);
            }
            for (int q = 0; q < GROUPS * PER_GROUP; q++) {
                weights[s][q] = new float[TAPS * read];
                for (int c = 0; c < read; c++) {
                    centredUnitTaps(random, weights[s][q], c * TAPS);
                }
            }
        }
        return new HydraFeatures(dilations, weights, channels);
    }

    /** Nine normal taps written from {@code at}, their mean subtracted and divided by their absolute sum. */
    private static void centredUnitTaps(Random random, float[] into, int at) {
        double[] v = new double[TAPS];
        double mean = 0;
        for (int j = 0; j < TAPS; j++) {
            v[j] = random.nextGaussian();
            mean += v[j] / TAPS;
        }
        double absolute = 0;
        for (int j = 0; j < TAPS; j++) {
            v[j] -= mean;
            absolute += Math.abs(v[j]);
        }
        for (int j = 0; j < TAPS; j++) {
            into[at + j] = (float) (v[j] / absolute);
        }
    }

    @Override
    public int featureCount() {
        return weights.length * GROUPS * PER_GROUP * 2;
    }

    /**
     * The features of x (T × D, normalised) written into the first {@link #featureCount} places of {@code f}: per
     * dilation and input, per group, its kernels' summed winning values, then their counts of losing.
     */
    @Override
    public double[] into(double[][] x, double[] f) {
        return into(x, f, KernelFeatures.BEST);
    }

    /**
     * As {@link #into(double[][], double[])}, the convolutions and the competition by {@code lanes} (every lane gives the
     * same bits). Step by step in plain Java a demo record of one channel cost 1.5 ms to assign, seven times PPV's; by
     * the Vector API's lanes, 0.19 ms, about PPV's ({@code bench --steps 0 --demo-dims 1 --set transform=hydra}).
     */
    double[] into(double[][] x, double[] f, KernelFeatures.Lanes lanes) {
        int dims = x[0].length;
        int width = lanes.width();
        int margin = CENTRE * dilations[dilations.length - 1];
        // reads reach margin + CENTRE · dilation + blocks − 1 ≤ 2 · margin + steps + width − 2
        float[][] rows = new float[dims][x.length + 2 * margin + width];
        float[][] outputs = new float[PER_GROUP][(x.length + width - 1) / width * width];
        double[] won = new double[PER_GROUP];
        double[] lost = new double[PER_GROUP];
        float[][] leaders = new float[4][outputs[0].length];
        int at = 0;
        for (int input = 0; input < INPUTS; input++) {
            int steps = layOut(x, input == 1, rows, margin);
            int blocks = (steps + width - 1) / width * width;
            for (int d = 0; d < dilations.length; d++) {
                int s = INPUTS * d + input;
                int origin = margin - CENTRE * dilations[d];
                for (int g = 0; g < GROUPS; g++) {
                    int[] read = channels[s][g];
                    for (float[] out : outputs) {
                        Arrays.fill(out, 0, blocks, 0f);
                    }
                    for (int c = 0; c < read.length; c++) {
                        lanes.nineTaps(outputs, blocks, rows[read[c]], origin, dilations[d], weights[s], g * PER_GROUP, c * TAPS);
                    }
                    compete(outputs, steps, blocks, won, lost, leaders, lanes);
                    for (int q = 0; q < PER_GROUP; q++) {
                        f[at + q] = Math.sqrt(Math.max(0, won[q] / steps));
                        f[at + PER_GROUP + q] = Math.sqrt(lost[q] / steps);
                    }
                    at += 2 * PER_GROUP;
                }
            }
        }
        return f;
    }

    /**
     * The sequence (or its first difference, one step shorter, a zero step for a sequence of one) into {@code rows}
     * from {@code margin}, zeros after it; returns its steps.
     */
    private static int layOut(double[][] x, boolean difference, float[][] rows, int margin) {
        int steps = difference ? Math.max(1, x.length - 1) : x.length;
        for (float[] row : rows) {
            Arrays.fill(row, margin, row.length, 0f);
        }
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < rows.length; c++) {
                rows[c][margin + t] = (float) (!difference ? x[t][c] : x.length > 1 ? x[t + 1][c] - x[t][c] : 0);
            }
        }
        return steps;
    }

    /**
     * At each step, the group's largest output adds its value to {@code won}, and its smallest adds one to {@code lost}
     * (the first kernel of a tie). The leaders are found by {@code lanes} over all steps at once: step by step, in plain
     * Java, this took nine tenths of a record's features (JFR, 850 µs of a demo record's). {@code leaders}: four rows
     * as long as the blocks, for the steps' highest output and its kernel, then their lowest and its kernel.
     */
    static void compete(float[][] outputs, int steps, int blocks, double[] won, double[] lost, float[][] leaders,
                        KernelFeatures.Lanes lanes) {
        float[] high = leaders[0];
        float[] best = leaders[1];
        lanes.compete(outputs, blocks, high, best, leaders[2], leaders[3]);
        Arrays.fill(won, 0);
        Arrays.fill(lost, 0);
        for (int t = 0; t < steps; t++) {
            won[(int) best[t]] += high[t];
            lost[(int) leaders[3][t]] += 1;
        }
    }

    @Override
    public void write(PayloadWriter out) {
        out.writeInt(dilations.length).writeInts(dilations);
        for (int s = 0; s < weights.length; s++) {
            for (int g = 0; g < GROUPS; g++) {
                out.writeInt(channels[s][g].length).writeInts(channels[s][g]);
            }
            for (float[] kernel : weights[s]) {
                out.writeFloats(kernel);
            }
        }
    }

    /** Reads what {@link #write} wrote, for sequences of {@code dims} channels. */
    static HydraFeatures read(PayloadReader in, int dims) {
        int[] dilations = in.readInts("Hydra dilations", in.readInt("Hydra dilation count", 1, MAX_DILATIONS));
        for (int i = 0; i < dilations.length; i++) {
            if (dilations[i] != 1 << i) {
                throw new IllegalArgumentException("Hydra's dilations are 1, 2, 4, …; dilation " + i + " was " + dilations[i]);
            }
        }
        float[][][] weights = new float[INPUTS * dilations.length][GROUPS * PER_GROUP][];
        int[][][] channels = new int[weights.length][GROUPS][];
        for (int s = 0; s < weights.length; s++) {
            for (int g = 0; g < GROUPS; g++) {
                channels[s][g] = in.readInts("Hydra group channels", in.readInt("Hydra group channel count", 1, dims));
                if (Arrays.stream(channels[s][g]).anyMatch(c -> c < 0 || c >= dims)) {
                    throw new IllegalArgumentException("a Hydra group reads a channel outside 0.." + (dims - 1));
                }
            }
            for (int q = 0; q < GROUPS * PER_GROUP; q++) {
                weights[s][q] = in.readFloats("Hydra kernel taps", TAPS, TAPS * dims);
            }
        }
        return new HydraFeatures(dilations, weights, channels);
    }
}
