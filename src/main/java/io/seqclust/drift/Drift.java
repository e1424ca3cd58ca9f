package io.seqclust.drift;

import io.seqclust.checkpoint.Checkpoint;

import java.util.List;
import java.util.function.Function;

/**
 * How far the live stream has moved from the window the served model was trained on, in three parts, each
 * in [0, 1]: the Jensen-Shannon divergence (base 2) of the cluster mix, the drop in mean confidence, and a
 * distance between model-agnostic statistics of the sequences (per channel mean, spread and smoothness,
 * and length): the largest standardised difference of their means d that is beyond sampling noise,
 * mapped to d / (1 + d). The score is the largest part: any one of them
 * moving is a reason to retrain.
 */
public final class Drift {

    /**
     * @param score          the largest part
     * @param clusterMix     Jensen-Shannon divergence of the cluster shares, 0 (same) to 1 (disjoint)
     * @param confidenceDrop mean confidence of the reference minus the live one, 0 if it rose
     * @param representation d / (1 + d) of the mean standardised difference of the sequence statistics
     * @param records        live sequences compared
     */
    public record Score(double score, double clusterMix, double confidenceDrop, double representation, int records) {
    }

    /**
     * A difference of means counts once it is this many standard errors wide: sampling noise over a few dozen
     * statistics stays below it (about one chance in 10⁴ each), a real shift of a fifth of a standard deviation
     * clears it on 500 sequences.
     */
    static final double SIGNIFICANT = 4;

    private Drift() {
    }

    /**
     * @param sequences     the sequences to describe
     * @param probabilities a model's cluster probabilities of a sequence, by stable cluster id
     * @param k             clusters
     */
    public static Checkpoint.Reference profile(List<double[][]> sequences, Function<double[][], double[]> probabilities, int k) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one sequence");
        }
        double[] mix = new double[k];
        double confidence = 0;
        int dims = sequences.get(0)[0].length;
        int f = featureCount(dims);
        double[] sum = new double[f];
        double[] sumSq = new double[f];
        for (double[][] x : sequences) {
            double[] p = probabilities.apply(x);
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            mix[best]++;
            confidence += p[best];
            double[] s = features(x);
            for (int j = 0; j < f; j++) {
                sum[j] += s[j];
                sumSq[j] += s[j] * s[j];
            }
        }
        int n = sequences.size();
        double[] mean = new double[f];
        double[] sd = new double[f];
        for (int j = 0; j < f; j++) {
            mean[j] = sum[j] / n;
            sd[j] = Math.sqrt(Math.max(0, sumSq[j] / n - mean[j] * mean[j]));
        }
        for (int c = 0; c < k; c++) {
            mix[c] /= n;
        }
        return new Checkpoint.Reference(mix, confidence / n, mean, sd, n);
    }

    /** The live profile against the reference one (of the same k and the same statistics). */
    public static Score compare(Checkpoint.Reference reference, Checkpoint.Reference live) {
        double js = jensenShannon(reference.mix(), live.mix());
        double drop = Math.max(0, reference.confidence() - live.confidence());
        double d = 0;
        double noise = SIGNIFICANT / Math.sqrt(live.records());
        for (int j = 0; j < reference.featureMean().length; j++) {
            // a statistic that did not vary in the reference is judged against a tenth of its own size
            double scale = Math.max(reference.featureSd()[j], 0.1 * Math.abs(reference.featureMean()[j]) + 1e-9);
            double difference = Math.abs(live.featureMean()[j] - reference.featureMean()[j]) / scale;
            if (difference >= noise) {
                d = Math.max(d, difference);
            }
        }
        double representation = d / (1 + d);
        double score = Math.max(js, Math.max(drop, representation));
        return new Score(score, js, drop, representation, live.records());
    }

    /** Jensen-Shannon divergence in bits: symmetric, 0 for equal distributions, 1 for disjoint ones. */
    static double jensenShannon(double[] p, double[] q) {
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            js += term(p[i], m) + term(q[i], m);
        }
        return Math.min(1, Math.max(0, js / 2));
    }

    private static double term(double a, double m) {
        return a == 0 ? 0 : a * Math.log(a / m) / Math.log(2);
    }

    static int featureCount(int dims) {
        return 3 * dims + 1;
    }

    /**
     * Per channel mean, standard deviation and lag-1 autocorrelation (how smooth it is), and the log of the
     * length: what a sequence looks like to no model in particular.
     */
    static double[] features(double[][] x) {
        int dims = x[0].length;
        double[] out = new double[featureCount(dims)];
        for (int d = 0; d < dims; d++) {
            double s = 0;
            double ss = 0;
            for (double[] row : x) {
                s += row[d];
                ss += row[d] * row[d];
            }
            double mean = s / x.length;
            double variance = Math.max(0, ss / x.length - mean * mean);
            double lagged = 0;
            for (int t = 1; t < x.length; t++) {
                lagged += (x[t][d] - mean) * (x[t - 1][d] - mean);
            }
            out[d] = mean;
            out[dims + d] = Math.sqrt(variance);
            out[2 * dims + d] = variance == 0 ? 0 : lagged / (x.length * variance);
        }
        out[3 * dims] = Math.log(x.length);
        return out;
    }
}
