package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.math.KMeans;
import io.seqclust.math.SoftAssignment;
import io.seqclust.math.Standardisation;
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
        Standardisation scaling = Standardisation.fit(features);
        double[][] scaled = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            scaled[i] = scaling.apply(features[i]);
        }
        KMeans.Result result = KMeans.fit(scaled, k, settings.restarts(), settings.maxIterations(), new Random(seed));
        double loss = result.inertia() / features.length;
        new Progress.Clock(1, progress).epochDone(LossTerms.of("inertia", loss));
        return new Fit(new Served(dims, scaling, result.centroids()), result.labels(), loss, List.of());
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        int k = in.readInt("k", 1, 1 << 16);
        double[] mean = in.readDoubles("feature means", dims + 1);
        double[] std = in.readDoubles("feature standard deviations", dims + 1);
        return new Served(dims, new Standardisation(mean, std), in.readMatrix("centroids", k, dims + 1));
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

    private record Served(int dims, Standardisation scaling, double[][] centroids) implements Assigner {

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public double[] probabilities(double[][] values) {
            return SoftAssignment.ofSquaredDistances(scaling.apply(features(values)), centroids, 1);
        }

        @Override
        public void write(PayloadWriter out) {
            out.writeInt(dims).writeInt(centroids.length).writeDoubles(scaling.mean()).writeDoubles(scaling.sd()).writeMatrix(centroids);
        }
    }
}
