package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Random convolutional kernels (ROCKET, Dempster et al. 2020) as features for clustering, as R-Clustering
 * (Marco-Blanco & Cuevas) does: each kernel (length 7, 9 or 11, Gaussian weights centred, a bias, an
 * exponentially drawn dilation, padding or not, a random subset of the channels) gives two features of a
 * sequence over its own length — the share of positive outputs (PPV) and the largest output; the features
 * are clustered by {@link ProjectedClustering}. No gradient training.
 */
public final class Rocket implements ClusteringAlgorithm {

    public static final String ID = "rocket";

    public record Settings(
            @Setting("random convolutional kernels (two features each); 0: 500 per channel, at most 2000") @Min(0) @Max(20_000)
            int kernels,
            @Setting(ProjectedClustering.PCA_VARIANCE_SETTING)
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double pcaVariance,
            @Setting(ProjectedClustering.MAX_COMPONENTS_SETTING) @Min(1) @Max(1000) int maxComponents,
            @Setting(ProjectedClustering.METHOD_SETTING) @NotNull ProjectedClustering.Method clustering,
            @Setting(ProjectedClustering.NEIGHBOURS_SETTING) @Min(1) @Max(NeighbourVote.MAX_NEIGHBOURS) int neighbours,
            @Setting(ProjectedClustering.RESTARTS_SETTING) @Min(1) @Max(1000) int kmeansRestarts,
            @Setting(Normalizer.SETTING) @NotNull Normalization normalization)
            implements ProjectedClustering.Configured {

        public static final Settings DEFAULTS = new Settings(0, 0.9, 50, ProjectedClustering.Method.KMEANS, 10, 10,
                Normalization.AUTO);

        /**
         * The kernels for sequences of {@code dims} channels: as set, or 500 per channel up to 2,000, since each
         * kernel reads a random subset of the channels (measured: on the multichannel sets 2,000 kernels took
         * JapaneseVowels' ACC from 0.892 to 0.943 and ArticularyWordRecognition's from 0.826 to 0.912, while on
         * the univariate ones they changed nothing beyond the seeds' spread).
         */
        int kernelsFor(int dims) {
            return kernels > 0 ? kernels : Math.min(2000, 500 * dims);
        }
    }

    private static final int[] LENGTHS = {7, 9, 11};

    /** How this JVM computes the kernels' features, for the log (see {@link KernelFeatures}). */
    public static String arithmetic() {
        return KernelFeatures.describe();
    }

    private final Settings settings;
    private final int k;

    public Rocket(Settings settings, int k) {
        ClusteringAlgorithm.requireK(ID, k);
        this.settings = settings;
        this.k = k;
    }

    /**
     * One kernel, in float32 as its features are computed ({@link KernelFeatures}).
     *
     * @param channels the channels it reads
     * @param weights  channels.length × length, row by row
     */
    record Kernel(int length, int dilation, int padding, float bias, int[] channels, float[] weights) {

        /** The steps its taps cover, less one. */
        int span() {
            return (length - 1) * dilation;
        }

        /** ROCKET's draw, for sequences of about {@code typicalLength} steps of {@code dims} channels. */
        static Kernel draw(Random random, int typicalLength, int dims) {
            int length = LENGTHS[random.nextInt(LENGTHS.length)];
            int limit = Math.min(dims, length);
            int count = (int) Math.pow(2, random.nextDouble() * (Math.log(limit + 1) / Math.log(2)));
            count = Math.max(1, Math.min(count, dims));
            int[] all = IntStream.range(0, dims).toArray();
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(dims - i);
                int swap = all[i];
                all[i] = all[j];
                all[j] = swap;
            }
            int[] channels = Arrays.copyOf(all, count);
            double[] gaussian = new double[count * length];
            double mean = 0;
            for (int i = 0; i < gaussian.length; i++) {
                gaussian[i] = random.nextGaussian();
                mean += gaussian[i] / gaussian.length;
            }
            float[] weights = new float[gaussian.length];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (gaussian[i] - mean);
            }
            double bias = 2 * random.nextDouble() - 1;
            double a = Math.max(0, Math.log((typicalLength - 1.0) / (length - 1)) / Math.log(2));
            int dilation = (int) Math.pow(2, random.nextDouble() * a);
            int padding = random.nextBoolean() ? (length - 1) * dilation / 2 : 0;
            return new Kernel(length, dilation, padding, (float) bias, channels, weights);
        }
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        List<double[][]> data = normalizer.applyAll(window);
        int dims = data.get(0)[0].length;
        int[] lengths = data.stream().mapToInt(x -> x.length).sorted().toArray();
        Random random = new Random(seed);
        Kernel[] kernels = new Kernel[settings.kernelsFor(dims)];
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = Kernel.draw(random, lengths[lengths.length / 2], dims);
        }
        return ProjectedClustering.fit(data, x -> KernelFeatures.of(kernels, x), settings.clusteringOptions(), k, random, progress,
                clusters -> new Served(normalizer, kernels, clusters));
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        Normalizer normalizer = Normalizer.read(in);
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        normalizer.requireDims(dims, "rocket");
        int count = in.readInt("kernels", 1, 1 << 20);
        Kernel[] kernels = new Kernel[count];
        for (int i = 0; i < count; i++) {
            int length = in.readInt("kernel length", 1, 64);
            int dilation = in.readInt("kernel dilation", 1, 1 << 24);
            int padding = in.readInt("kernel padding", 0, 1 << 24);
            float bias = (float) in.readDouble();
            int channelCount = in.readInt("kernel channels", 1, dims);
            int[] channels = in.readInts("kernel channel indices", channelCount);
            if (Arrays.stream(channels).anyMatch(c -> c < 0 || c >= dims)) {
                throw new IllegalArgumentException("a kernel reads a channel outside 0.." + (dims - 1));
            }
            kernels[i] = new Kernel(length, dilation, padding, bias, channels, in.readFloats("kernel weights", channelCount * length));
        }
        return new Served(normalizer, kernels, ProjectedClustering.read(in, 2 * count, ID));
    }

    private record Served(Normalizer normalizer, Kernel[] kernels, ProjectedClustering clusters) implements ProjectedClustering.Served {

        @Override
        public int dims() {
            return Arrays.stream(kernels).flatMapToInt(kernel -> Arrays.stream(kernel.channels())).max().orElse(0) + 1;
        }

        @Override
        public double[] features(double[][] normalised, double[] scratch) {
            return KernelFeatures.of(kernels, normalised);
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            out.writeInt(dims()).writeInt(kernels.length);
            for (Kernel kernel : kernels) {
                out.writeInt(kernel.length()).writeInt(kernel.dilation()).writeInt(kernel.padding()).writeDouble(kernel.bias())
                        .writeInt(kernel.channels().length).writeInts(kernel.channels())
                        .writeFloats(kernel.weights());
            }
            clusters.write(out);
        }
    }
}
