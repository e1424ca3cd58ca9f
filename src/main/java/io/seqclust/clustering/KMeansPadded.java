package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.math.KMeans;
import io.seqclust.math.SoftAssignment;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.Random;

/**
 * k-means on whole sequences: normalised, zero-padded to the window's longest and flattened — INDEX.md's
 * "pad" baseline, a strong one wherever the classes differ at the same time steps. Serving pads (or cuts) a
 * sequence to that length; probabilities a softmax of −‖x − μ_j‖² / τ with τ the window's mean squared
 * distance to its centroid.
 */
public final class KMeansPadded implements ClusteringAlgorithm {

    public static final String ID = "kmeans";

    public record Settings(
            @Setting("k-means restarts; the lowest inertia wins") @Min(1) @Max(1000) int restarts,
            @Setting("k-means iterations per restart") @Min(1) @Max(1_000_000) int maxIterations,
            @Setting(Normalizer.SETTING) @NotNull Normalization normalization) {

        public static final Settings DEFAULTS = new Settings(10, 300, Normalization.AUTO);
    }

    private final Settings settings;
    private final int k;

    public KMeansPadded(Settings settings, int k) {
        ClusteringAlgorithm.requireK(ID, k);
        this.settings = settings;
        this.k = k;
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        int length = window.stream().mapToInt(x -> x.length).max().orElseThrow();
        double[][] points = window.stream().map(x -> flatten(normalizer.apply(x), length)).toArray(double[][]::new);
        KMeans.Result km = KMeans.fit(points, k, settings.restarts(), settings.maxIterations(), new Random(seed));
        double inertia = km.inertia() / points.length;
        new Progress.Clock(1, progress).epochDone(LossTerms.of("inertia", inertia));
        return new Fit(new Served(normalizer, length, window.get(0)[0].length, km.centroids(), Math.max(inertia, 1e-12)),
                km.labels(), inertia, List.of());
    }

    /** The first {@code length} steps, zeros after the sequence's end, channel by channel within a step. */
    static double[] flatten(double[][] x, int length) {
        int dims = x[0].length;
        double[] out = new double[length * dims];
        for (int t = 0; t < Math.min(length, x.length); t++) {
            System.arraycopy(x[t], 0, out, t * dims, dims);
        }
        return out;
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        Normalizer normalizer = Normalizer.read(in);
        int length = in.readInt("length", 1, 1 << 24);
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        normalizer.requireDims(dims, "kmeans");
        int k = in.readInt("k", 1, 1 << 16);
        double[][] centroids = in.readMatrix("centroids", k, length * dims);
        double temperature = in.readDouble();
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("kmeans temperature must be positive, was " + temperature);
        }
        return new Served(normalizer, length, dims, centroids, temperature);
    }

    private record Served(Normalizer normalizer, int length, int dims, double[][] centroids, double temperature) implements Assigner {

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public double[] probabilities(double[][] values) {
            return SoftAssignment.ofSquaredDistances(flatten(normalizer.apply(values), length), centroids, temperature);
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            out.writeInt(length).writeInt(dims).writeInt(centroids.length).writeMatrix(centroids).writeDouble(temperature);
        }
    }
}
