package io.seqclust.promotion;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.ClusterAlignment;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.math.Interpolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a newly trained model may replace the served one, and which stable ids its clusters take. Both
 * assign the served model's anchors (a few sequences of each of its clusters, kept with it); the new
 * clusters take the ids of the served ones they share most anchors with (a maximum-weight matching; left
 * over, they take new ids), and
 * the two partitions' agreement (ARI, NMI) is measured. A model that agrees less than a floor is refused
 * unless its own quality is clearly better: the silhouette, on sequences of the current window in a
 * representation no model owns (each channel resampled to a fixed length and z-normalised, as k-Shape
 * compares them), of its partition against the served model's.
 */
public final class Promotion {

    /** Steps each channel is resampled to for the silhouette. */
    static final int SHAPE_LENGTH = 32;

    /**
     * @param minAgreement  ARI on the anchors below which a new model needs a clearly better silhouette
     * @param qualityMargin how much better its silhouette must then be
     */
    public record Settings(double minAgreement, double qualityMargin) {
    }

    private Promotion() {
    }

    /**
     * The stable ids of the new model's k clusters, matched on the anchors; k may differ from the served
     * model's (new clusters get ids above the served ones, served clusters left over retire).
     *
     * @param served    the served model's stable ids of the anchors
     * @param fresh     the new model's own clusters of the same anchors
     * @param servedIds the served model's cluster ids
     */
    public static int[] stableIds(int[] served, int[] fresh, int k, int[] servedIds) {
        return ClusterAlignment.stableIds(served, fresh, k, servedIds, LoadedModel.idSpace(servedIds));
    }

    /** Agreement of the served model's ids with the new model's (already mapped to stable ids) on the anchors. */
    public static Checkpoint.Agreement agreement(long servedVersion, int[] served, int[] freshStable) {
        return new Checkpoint.Agreement(servedVersion, ClusteringScores.adjustedRandIndex(served, freshStable),
                ClusteringScores.normalisedMutualInformation(served, freshStable), served.length);
    }

    /**
     * @param sample      sequences of the current window
     * @param servedIds   the served model's clusters of them
     * @param freshIds    the new model's clusters of them
     * @return why the new model must not be served, or empty if it may
     */
    public static Optional<String> refusal(Checkpoint.Agreement agreement, List<double[][]> sample, int[] servedIds, int[] freshIds,
                                           Settings settings) {
        if (agreement.ari() >= settings.minAgreement()) {
            return Optional.empty();
        }
        double[][] points = sample.stream().map(Promotion::shape).toArray(double[][]::new);
        double before = silhouette(points, servedIds);
        double after = silhouette(points, freshIds);
        if (after >= before + settings.qualityMargin()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "not promoted: it agrees with v%d on %d anchors with ARI %.3f (NMI %.3f), below"
                        + " seqclust.training.promotion.min-agreement = %.2f, and its silhouette %.3f on %d sequences of the window is"
                        + " not clearly above v%d's %.3f (by seqclust.training.promotion.quality-margin = %.2f)",
                agreement.previousVersion(), agreement.anchors(), agreement.ari(), agreement.nmi(), settings.minAgreement(), after,
                sample.size(), agreement.previousVersion(), before, settings.qualityMargin()));
    }

    /**
     * Up to {@code perCluster} sequences of each cluster, spread over the window, within {@code maxValues}
     * values in all: what the next model is compared with this one on.
     *
     * @param labels the stable id of each sequence
     */
    public static List<double[][]> anchors(List<double[][]> sequences, int[] labels, int k, int perCluster, long maxValues) {
        List<List<double[][]>> byCluster = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byCluster.add(new ArrayList<>());
        }
        for (int i = 0; i < sequences.size(); i++) {
            byCluster.get(labels[i]).add(sequences.get(i));
        }
        List<double[][]> out = new ArrayList<>();
        long values = 0;
        // round robin over the clusters, so that a tight bound still keeps every cluster
        for (int round = 0; round < perCluster; round++) {
            for (List<double[][]> members : byCluster) {
                if (round >= members.size()) {
                    continue;
                }
                double[][] x = members.get((int) ((long) round * members.size() / Math.min(perCluster, members.size())));
                long size = (long) x.length * x[0].length;
                if (values + size > maxValues) {
                    return out;
                }
                values += size;
                out.add(x);
            }
        }
        return out;
    }

    /** Mean silhouette (Euclidean) of a partition; 0 if it has one cluster. Points alone in their cluster count 0. */
    static double silhouette(double[][] points, int[] labels) {
        int n = points.length;
        int k = 0;
        for (int l : labels) {
            k = Math.max(k, l + 1);
        }
        int[] sizes = new int[k];
        for (int l : labels) {
            sizes[l]++;
        }
        long used = java.util.Arrays.stream(sizes).filter(s -> s > 0).count();
        if (used < 2) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[labels[j]] += distance(points[i], points[j]);
                }
            }
            int own = labels[i];
            if (sizes[own] < 2) {
                continue;
            }
            double a = sum[own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && sizes[c] > 0) {
                    b = Math.min(b, sum[c] / sizes[c]);
                }
            }
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Each channel linearly resampled to {@link #SHAPE_LENGTH} steps and z-normalised, concatenated. */
    static double[] shape(double[][] x) {
        double[][] resampled = Interpolation.resample(x, SHAPE_LENGTH);
        int dims = x[0].length;
        double[] out = new double[dims * SHAPE_LENGTH];
        for (int d = 0; d < dims; d++) {
            double sum = 0;
            double sq = 0;
            for (int t = 0; t < SHAPE_LENGTH; t++) {
                double v = resampled[t][d];
                out[d * SHAPE_LENGTH + t] = v;
                sum += v;
                sq += v * v;
            }
            double mean = sum / SHAPE_LENGTH;
            double sd = Math.sqrt(Math.max(0, sq / SHAPE_LENGTH - mean * mean));
            for (int t = 0; t < SHAPE_LENGTH; t++) {
                out[d * SHAPE_LENGTH + t] = sd < 1e-12 ? 0 : (out[d * SHAPE_LENGTH + t] - mean) / sd;
            }
        }
        return out;
    }
}
