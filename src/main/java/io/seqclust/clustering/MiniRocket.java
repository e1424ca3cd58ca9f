package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.MiniRocketFeatures.Kernel;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.math.Interpolation;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * R-Clustering as its authors built it (Marco-Blanco &amp; Cuevas 2024): MiniRocket's features
 * ({@link MiniRocketFeatures}: 84 fixed kernels at several dilations, PPV against biases from the window)
 * clustered by {@link ProjectedKMeans}. No gradient training; a fraction of {@link Rocket}'s serving cost,
 * since the kernels share their work and only count.
 */
public final class MiniRocket implements ClusteringAlgorithm {

    public static final String ID = "minirocket";

    public record Settings(
            @Setting("features (kernel, dilation and bias triples); MiniRocket's 10,000 by default, taken in multiples of 84")
            @Min(MiniRocketFeatures.KERNELS) @Max(100_000) int features,
            @Setting("dilations per kernel at most") @Min(1) @Max(64) int maxDilations,
            @Setting("channels a kernel sums at most, for several channels (MiniRocket draws up to 9; 1: each kernel reads one)")
            @Min(1) @Max(9) int maxChannels,
            @Setting("share of the features' variance the principal components keep")
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double pcaVariance,
            @Setting("principal components at most") @Min(1) @Max(1000) int maxComponents,
            @Setting("k-means restarts on the components; the lowest inertia wins") @Min(1) @Max(1000) int kmeansRestarts,
            @Setting(Normalizer.SETTING) @NotNull Normalization normalization,
            @Setting("median: every sequence linearly resampled to the window's median length before the kernels (the "
                    + "features then compare shapes, not time scales); none: each at its own length")
            @NotNull Length length) {

        public static final Settings DEFAULTS = new Settings(10_000, 32, 1, 0.9, 50, 10, Normalization.AUTO, Length.MEDIAN);
    }

    /** The length the kernels see. */
    public enum Length {
        MEDIAN, NONE
    }

    /** Steps a resampled sequence has at most: past it, the kernels' cost grows and the dilations stop growing. */
    static final int MAX_RESAMPLED = 1 << 16;

    private final Settings settings;
    private final int k;

    public MiniRocket(Settings settings, int k) {
        ClusteringAlgorithm.requireK(ID, k);
        this.settings = settings;
        this.k = k;
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        int length = settings.length() == Length.MEDIAN ? medianLength(window) : 0;
        List<double[][]> data = normalizer.applyAll(window).stream().map(x -> resample(x, length)).toList();
        Random random = new Random(seed);
        Kernel[] kernels = MiniRocketFeatures.fit(data, settings.features(), settings.maxDilations(),
                settings.maxChannels(), random);
        int dims = data.get(0)[0].length;
        return ProjectedKMeans.fit(data, x -> MiniRocketFeatures.of(kernels, x), settings.pcaVariance(), settings.maxComponents(),
                k, settings.kmeansRestarts(), random, progress, clusters -> new Served(normalizer, dims, length, kernels, clusters));
    }

    static int medianLength(List<double[][]> window) {
        int[] lengths = window.stream().mapToInt(x -> x.length).sorted().toArray();
        return Math.min(MAX_RESAMPLED, lengths[lengths.length / 2]);
    }

    /** {@code x} at {@code length} steps; at its own for 0. */
    private static double[][] resample(double[][] x, int length) {
        return length == 0 || x.length == length ? x : Interpolation.resample(x, length);
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        Normalizer normalizer = Normalizer.read(in);
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        normalizer.requireDims(dims, ID);
        int length = in.readInt("resampled length (0: none)", 0, MAX_RESAMPLED);
        int count = in.readInt("kernels", 1, 1 << 16);
        Kernel[] kernels = new Kernel[count];
        for (int i = 0; i < count; i++) {
            int dilation = in.readInt("kernel dilation", 1, 1 << 24);
            int raised = in.readInt("kernel weights", 0, MiniRocketFeatures.KERNELS - 1);
            int[] channels = in.readInts("kernel channel indices", in.readInt("kernel channels", 1, dims));
            if (Arrays.stream(channels).anyMatch(c -> c < 0 || c >= dims)) {
                throw new IllegalArgumentException("a kernel reads a channel outside 0.." + (dims - 1));
            }
            boolean padded = in.readBoolean();
            float[] biases = in.readFloats("kernel biases", 1, 1 << 16);
            kernels[i] = new Kernel(dilation, raised, channels, padded, biases);
        }
        return new Served(normalizer, dims, length, kernels,
                ProjectedKMeans.read(in, MiniRocketFeatures.featureCount(kernels), ID));
    }

    private record Served(Normalizer normalizer, int dims, int length, Kernel[] kernels, ProjectedKMeans clusters)
            implements ProjectedKMeans.Served {

        @Override
        public double[] features(double[][] normalised) {
            return MiniRocketFeatures.of(kernels, resample(normalised, length));
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            out.writeInt(dims).writeInt(length).writeInt(kernels.length);
            for (Kernel kernel : kernels) {
                out.writeInt(kernel.dilation()).writeInt(kernel.raised()).writeInt(kernel.channels().length)
                        .writeInts(kernel.channels()).writeBoolean(kernel.padded()).writeFloats(kernel.biases());
            }
            clusters.write(out);
        }
    }
}
