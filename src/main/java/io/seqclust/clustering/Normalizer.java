package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * How a deep model scales its input, fitted on the training window and kept in the checkpoint.
 *
 * @param stats per-channel mean and standard deviation ({@link Normalization#CHANNEL}), or null
 */
public record Normalizer(Normalization how, double[][] stats) {

    /** How a model's {@code normalization} setting is described, wherever a model has one. */
    static final String SETTING = "auto (series for one channel, channel for several), channel (standardise channels with the"
            + " window's statistics) or series (z-normalise each sequence)";

    /** Largest D a payload may declare: it bounds what reading one may allocate. */
    static final int MAX_DIMS = 1 << 16;

    public enum Normalization {
        /** Each channel standardised with the training window's statistics (kept in the checkpoint). */
        CHANNEL,
        /** Each sequence's channels z-normalised on their own (the UCR convention). */
        SERIES,
        /**
         * From what the window shows: SERIES for one channel (a shape matters, not its level), CHANNEL for
         * several (their levels relative to each other carry the information).
         */
        AUTO
    }

    public static Normalizer fit(Normalization how, List<double[][]> window) {
        int dims = window.get(0)[0].length;
        Normalization resolved = how != Normalization.AUTO ? how : dims == 1 ? Normalization.SERIES : Normalization.CHANNEL;
        return new Normalizer(resolved, resolved == Normalization.CHANNEL ? channelStats(window, dims) : null);
    }

    public double[][] apply(double[][] x) {
        int dims = x[0].length;
        double[] mean = stats == null ? new double[dims] : stats[0];
        double[] std = stats == null ? new double[dims] : stats[1];
        if (how == Normalization.SERIES) {
            double[][] own = channelStats(List.<double[][]>of(x), dims);
            mean = own[0];
            std = own[1];
        }
        double[][] out = new double[x.length][dims];
        for (int t = 0; t < x.length; t++) {
            for (int d = 0; d < dims; d++) {
                out[t][d] = (x[t][d] - mean[d]) / std[d];
            }
        }
        return out;
    }

    public List<double[][]> applyAll(List<double[][]> window) {
        List<double[][]> out = new ArrayList<>(window.size());
        for (double[][] x : window) {
            out.add(apply(x));
        }
        return out;
    }

    /**
     * Per-channel mean and standard deviation over every time step of every sequence, in two passes (a sum of
     * squares minus a squared mean loses every digit of a small spread on a large level).
     */
    static double[][] channelStats(List<double[][]> window, int dims) {
        double[] mean = new double[dims];
        long count = 0;
        for (double[][] x : window) {
            for (double[] row : x) {
                for (int d = 0; d < dims; d++) {
                    mean[d] += row[d];
                }
                count++;
            }
        }
        for (int d = 0; d < dims; d++) {
            mean[d] /= count;
        }
        double[] var = new double[dims];
        for (double[][] x : window) {
            for (double[] row : x) {
                for (int d = 0; d < dims; d++) {
                    double e = row[d] - mean[d];
                    var[d] += e * e;
                }
            }
        }
        double[] std = new double[dims];
        for (int d = 0; d < dims; d++) {
            double v = var[d] / count;
            // a constant channel carries no information: centred, left unscaled
            std[d] = v > 1e-24 * Math.max(1, mean[d] * mean[d]) ? Math.sqrt(v) : 1;
        }
        return new double[][] {mean, std};
    }

    void write(PayloadWriter out) {
        out.writeEnum(how);
        if (stats != null) {
            out.writeDoubles(stats[0]).writeDoubles(stats[1]);
        }
    }

    static Normalizer read(PayloadReader in) {
        Normalization how = in.readEnum(Normalization.class);
        if (how == Normalization.AUTO) {
            throw new IllegalArgumentException("a stored normalisation must be resolved, not auto");
        }
        if (how == Normalization.SERIES) {
            return new Normalizer(how, null);
        }
        double[] mean = in.readDoubles("channel means", 1, MAX_DIMS);
        return new Normalizer(how, new double[][] {mean, in.readDoubles("channel standard deviations", mean.length)});
    }

    /** @throws IllegalArgumentException when the statistics are for another D than the network that follows them reads */
    void requireDims(int dims, String reader) {
        if (stats != null && stats[0].length != dims) {
            throw new IllegalArgumentException(reader + " reads D = " + dims + ", its statistics are for D = " + stats[0].length);
        }
    }
}
