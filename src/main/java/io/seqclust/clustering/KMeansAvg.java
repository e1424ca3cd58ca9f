package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.math.KMeans;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;
import java.util.Random;

/**
 * The "time averaging" baseline of the RDDC paper: k-means on each sequence's per-dimension mean
 * plus its length, features standardised with the training window's statistics. Probabilities are
 * a softmax over negative squared distances to the centroids.
 */
public final class KMeansAvg implements ClusteringAlgorithm {

    public static final String ID = "kmeans-avg";

    public record Settings(
            @Setting("k-means restarts; the lowest inertia wins") @Min(1) @Max(1000) int restarts,
            @Setting("k-means iterations per restart") @Min(1) @Max(1_000_000) int maxIterations) {

        public static final Settings DEFAULTS = new Settings(10, 100);
    }

    private final Settings settings;
    private final int k;

    public KMeansAvg(Settings settings, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        this.settings = settings;
        this.k = k;
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        int dims = window.get(0)[0].length;
        double[][] features = new double[window.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = features(window.get(i));
        }
        int m = dims + 1;
        double[] mean = new double[m];
        double[] std = new double[m];
        for (double[] f : features) {
            for (int j = 0; j < m; j++) {
                mean[j] += f[j] / features.length;
            }
        }
        for (double[] f : features) {
            for (int j = 0; j < m; j++) {
                std[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / features.length;
            }
        }
        for (int j = 0; j < m; j++) {
            // a constant feature (all sequences equally long, say) carries no information: leave it unscaled
            std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1.0;
        }
        double[][] scaled = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            scaled[i] = standardise(features[i], mean, std);
        }
        KMeans.Result result = KMeans.fit(scaled, k, settings.restarts(), settings.maxIterations(), new Random(seed));
        double loss = result.inertia() / features.length;
        new Progress.Clock(1, progress).epochDone(LossTerms.of("inertia", loss));
        return new Fit(new Served(dims, mean, std, result.centroids()), result.labels(), loss, List.of());
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        int k = in.readInt("k", 1, 1 << 16);
        double[] mean = in.readDoubles("feature means", dims + 1);
        double[] std = in.readDoubles("feature standard deviations", dims + 1);
        return new Served(dims, mean, std, in.readMatrix("centroids", k, dims + 1));
    }

    /** Per-dimension time average, then the length. */
    static double[] features(double[][] values) {
        int dims = values[0].length;
        double[] f = new double[dims + 1];
        for (double[] row : values) {
            for (int d = 0; d < dims; d++) {
                f[d] += row[d];
            }
        }
        for (int d = 0; d < dims; d++) {
            f[d] /= values.length;
        }
        f[dims] = values.length;
        return f;
    }

    private static double[] standardise(double[] f, double[] mean, double[] std) {
        double[] z = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            z[j] = (f[j] - mean[j]) / std[j];
        }
        return z;
    }

    private record Served(int dims, double[] mean, double[] std, double[][] centroids) implements Assigner {

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public double[] probabilities(double[][] values) {
            double[] z = standardise(features(values), mean, std);
            double[] logits = new double[centroids.length];
            for (int c = 0; c < logits.length; c++) {
                logits[c] = -KMeans.squaredDistance(z, centroids[c]);
            }
            return Activations.softmax(logits);
        }

        @Override
        public void write(PayloadWriter out) {
            out.writeInt(dims).writeInt(centroids.length).writeDoubles(mean).writeDoubles(std).writeMatrix(centroids);
        }
    }
}
