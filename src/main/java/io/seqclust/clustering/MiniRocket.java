package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.MiniRocketFeatures.Kernel;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.math.Interpolation;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * R-Clustering as its authors built it (Marco-Blanco &amp; Cuevas 2024): MiniRocket's features
 * ({@link MiniRocketFeatures}: 84 fixed kernels at several dilations, PPV against biases from the window)
 * clustered by {@link ProjectedClustering}. No gradient training; a fraction of {@link Rocket}'s serving cost,
 * since the kernels share their work and only count. Several kernel draws train on one window and the draw whose
 * partition agrees most with the others' serves ({@link Ensemble#medoid}): one draw's spectral partition could land on
 * a near-tie between two cuts (SonyAIBORobotSurface1 fell to chance in 2 seeds of 10), the medoid of five did not.
 * For one channel, Hydra's competing kernels ({@link HydraFeatures}) are drawn as well, and whichever family's draws
 * agree more serves ({@link Transform}): neither representation wins on every one-channel set of the suite, and the
 * one that is stable on a window was the better one more often than either alone.
 */
public final class MiniRocket implements ClusteringAlgorithm {

    public static final String ID = "minirocket";

    public record Settings(
            @Setting("features (kernel, dilation and bias triples); MiniRocket's 10,000 by default, taken in multiples of 84")
            @Min(MiniRocketFeatures.KERNELS) @Max(100_000) int features,
            @Setting("dilations per kernel at most") @Min(1) @Max(64) int maxDilations,
            @Setting("channels a kernel sums at most, for several channels (MiniRocket draws up to 9; 1: each kernel reads one)")
            @Min(1) @Max(9) int maxChannels,
            @Setting(ProjectedClustering.PCA_VARIANCE_SETTING)
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double pcaVariance,
            @Setting(ProjectedClustering.MAX_COMPONENTS_SETTING) @Min(1) @Max(1000) int maxComponents,
            @Setting(ProjectedClustering.METHOD_SETTING) @NotNull ProjectedClustering.Method clustering,
            @Setting(ProjectedClustering.NEIGHBOURS_SETTING) @Min(1) @Max(NeighbourVote.MAX_NEIGHBOURS) int neighbours,
            @Setting(ProjectedClustering.RESTARTS_SETTING) @Min(1) @Max(1000) int kmeansRestarts,
            @Setting(Normalizer.SETTING) @NotNull Normalization normalization,
            @Setting("median: every sequence linearly resampled to the window's median length before the kernels (the "
                    + "features then compare shapes, not time scales); none: each at its own length")
            @NotNull Length length,
            @Setting("for several channels, weight of each channel's level (its mean over the sequence), which the kernels"
                    + " cannot see (their weights sum to zero): the mean joins the features as many times as this weight times"
                    + " the features per channel times the share of the channel's variance that lies between sequences; 0: none")
            @DecimalMin("0") @DecimalMax("10") double levelWeight,
            @Setting("kernel draws trained on the window, each clustered; the draw whose partition agrees best with the"
                    + " others' (mean NMI) serves, so a retrain depends less on one draw of biases and channels. With"
                    + " clustering auto, every draw clusters by kmeans when any draw's graph falls apart. Training costs"
                    + " this many times one draw's; serving costs one draw's")
            @Min(1) @Max(MAX_DRAWS) int draws,
            @Setting("the kernels' transform: ppv (MiniRocket's: features the share of a kernel's outputs above each of its biases), hydra"
                    + " (Hydra's competing kernels: per dilation, over the sequence and its first difference, groups of 8 random"
                    + " kernels of which the best and the worst fitting at each step are counted; their counts scaled as sparse,"
                    + " and with clustering auto k-means serves a graph that fell apart only where its clusters nest in the"
                    + " pieces), auto (hydra for one channel, ppv for several), or stablest (for one channel both train, and"
                    + " the one whose draws' partitions agree more serves; ppv for several). stablest trains twice the draws")
            @NotNull Transform transform) implements ProjectedClustering.Configured {

        public static final Settings DEFAULTS = new Settings(10_000, 32, 1, 0.9, 50, ProjectedClustering.Method.STABLEST, 10, 100,
                Normalization.AUTO, Length.MEDIAN, 0.55, 5, Transform.STABLEST);
    }

    /** What a kernel draw's kernels compute. */
    public enum Transform {
        PPV, HYDRA, AUTO, STABLEST;

        /**
         * The families of draws a window of {@code dims} channels trains (true: Hydra's), the one whose draws agree more
         * serving. Hydra's alone for one channel (auto) gained on the DTCR table's 15 sets and lost on held-out ones
         * (Trace, GesturePebbleZ1); the family whose draws agree more (stablest) kept the gains and not the losses.
         * With several channels (each group over a random half of them) Hydra's lost on every multichannel set.
         */
        boolean[] families(int dims) {
            return switch (this) {
                case PPV -> new boolean[] {false};
                case HYDRA -> new boolean[] {true};
                case AUTO -> new boolean[] {dims == 1};
                case STABLEST -> dims == 1 ? new boolean[] {false, true} : new boolean[] {false};
            };
        }
    }

    /** The length the kernels see. */
    public enum Length {
        MEDIAN, NONE
    }

    /** Steps a resampled sequence has at most: past it, the kernels' cost grows and the dilations stop growing. */
    static final int MAX_RESAMPLED = 1 << 16;
    static final int MAX_DRAWS = 20;
    /** Apart from the first, draw d's random source is seeded with the model's seed + d × this odd constant. */
    private static final long DRAW_STRIDE = 0x9E3779B97F4A7C15L;
    /** Times a channel's mean joins the features at most: the most features there may be; the reader checks it too. */
    static final int MAX_LEVEL_REPEATS = 100_000;

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
        List<double[][]> normalised = normalizer.applyAll(window);
        int[] levels = levelRepeats(normalised, settings.features(), settings.levelWeight());
        List<double[][]> data = normalised.stream().map(x -> resample(x, length)).toList();
        int dims = data.get(0)[0].length;
        boolean[] families = settings.transform().families(dims);
        Progress.Clock clock = new Progress.Clock(settings.draws() * families.length + 1, progress);
        int typical = medianLength(data);
        Draws served = null;
        for (boolean hydra : families) {
            Draws drawn = draws(data, hydra, typical, levels, seed, clock);
            served = served == null || drawn.agreement() > served.agreement() ? drawn : served;
        }
        int chosen = Ensemble.medoid(ProjectedClustering.labels(served.results()));
        String family = served.kernels().get(0) instanceof HydraFeatures ? "Hydra kernel draw " : "kernel draw ";
        List<Fit.Candidate> candidates = new ArrayList<>();
        for (int d = 0; d < served.results().size() && served.results().size() > 1; d++) {
            ProjectedClustering.Result result = served.results().get(d);
            candidates.add(new Fit.Candidate(family + (d + 1) + (d == chosen ? " (served)" : ""), result.inertia(),
                    result.labels()));
        }
        ProjectedClustering.Result result = served.results().get(chosen);
        clock.epochDone(LossTerms.of("inertia", result.inertia()));
        return new Fit(new Served(normalizer, dims, length, levels, served.kernels().get(chosen), result.model()), result.labels(),
                result.inertia(), candidates);
    }

    /** One family's kernel draws on the window, each clustered, and how much their partitions agree (mean NMI). */
    private record Draws(List<KernelTransform> kernels, List<ProjectedClustering.Result> results, double agreement) {
    }

    /** The draws of one family; Hydra's dilations reach the window's {@code typical} length. */
    private Draws draws(List<double[][]> data, boolean hydra, int typical, int[] levels, long seed, Progress.Clock clock) {
        int dims = data.get(0)[0].length;
        ProjectedClustering.Options options = settings.clusteringOptions().sparse(hydra);
        List<KernelTransform> kernels = new ArrayList<>();
        List<Random> randoms = new ArrayList<>();
        List<ProjectedClustering.Projection> projections = new ArrayList<>();
        for (int d = 0; d < settings.draws(); d++) {
            // the first draw is the model's seed alone, as it was before there were several
            Random random = new Random(d == 0 ? seed : seed + d * DRAW_STRIDE);
            KernelTransform drawn = hydra ? HydraFeatures.fit(typical, dims, random)
                    : new PpvKernels(MiniRocketFeatures.fit(data, settings.features(), settings.maxDilations(), settings.maxChannels(),
                    random));
            kernels.add(drawn);
            randoms.add(random);
            projections.add(ProjectedClustering.Projection.of(data.size(),
                    i -> withLevels(drawn.of(data.get(i)), data.get(i), levels), options, k, random));
            clock.epochDone(LossTerms.of("components", projections.get(d).pca().axes().length));
        }
        List<ProjectedClustering.Result> results = ProjectedClustering.fitAlike(projections, options, k, randoms);
        return new Draws(kernels, results, Ensemble.agreement(ProjectedClustering.labels(results)));
    }

    /**
     * How many times each channel's mean joins the features: {@code weight × features / D × v_d / t_d}, v_d the
     * variance of the channel's per-sequence means over the window and t_d its variance over all steps (so the
     * share of the channel's variance that a sequence's level explains); none for one channel, whose sequences
     * are z-normalised. Repeating a column r times weighs it √r after the features are standardised.
     */
    static int[] levelRepeats(List<double[][]> normalised, int features, double weight) {
        int dims = normalised.get(0)[0].length;
        int[] repeats = new int[dims];
        if (dims == 1 || weight == 0) {
            return repeats;
        }
        for (int d = 0; d < dims; d++) {
            int channel = d;
            double[] means = new double[normalised.size()];
            double[] values = normalised.stream().flatMap(Arrays::stream).mapToDouble(row -> row[channel]).toArray();
            for (int i = 0; i < means.length; i++) {
                means[i] = mean(normalised.get(i), d);
            }
            double total = variance(values);
            double share = total > 1e-24 ? Math.min(1, variance(means) / total) : 0;
            repeats[d] = (int) Math.min(MAX_LEVEL_REPEATS, Math.round(weight * features / dims * share));
        }
        return repeats;
    }

    private static double mean(double[][] x, int channel) {
        double sum = 0;
        for (double[] row : x) {
            sum += row[channel];
        }
        return sum / x.length;
    }

    private static double variance(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        return Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
    }

    /** The kernels' features, then each channel's mean of {@code x} repeated as {@link #levelRepeats} says. */
    static double[] withLevels(double[] features, double[][] x, int[] repeats) {
        int extra = Arrays.stream(repeats).sum();
        if (extra == 0) {
            return features;
        }
        return addLevels(Arrays.copyOf(features, features.length + extra), features.length, x, repeats);
    }

    /** Each channel's mean of {@code x} repeated as {@link #levelRepeats} says, written into f from {@code at}. */
    private static double[] addLevels(double[] f, int at, double[][] x, int[] repeats) {
        for (int d = 0; d < repeats.length; d++) {
            Arrays.fill(f, at, at + repeats[d], mean(x, d));
            at += repeats[d];
        }
        return f;
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
        int[] levels = in.readInts("level repeats", dims);
        if (Arrays.stream(levels).anyMatch(r -> r < 0 || r > MAX_LEVEL_REPEATS)) {
            throw new IllegalArgumentException("a channel's level repeats outside 0.." + MAX_LEVEL_REPEATS);
        }
        int count = in.readInt("kernels (0: Hydra's)", 0, 1 << 16);
        KernelTransform transform = count == 0 ? HydraFeatures.read(in, dims) : readKernels(in, count, dims);
        return new Served(normalizer, dims, length, levels, transform,
                ProjectedClustering.read(in, transform.featureCount() + Arrays.stream(levels).sum(), ID));
    }

    private static PpvKernels readKernels(PayloadReader in, int count, int dims) {
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
        return new PpvKernels(kernels);
    }

    /** MiniRocket's transform: its kernels' PPV against their biases ({@link MiniRocketFeatures}). */
    record PpvKernels(Kernel[] kernels) implements KernelTransform {

        @Override
        public int featureCount() {
            return MiniRocketFeatures.featureCount(kernels);
        }

        @Override
        public double[] into(double[][] x, double[] f) {
            return MiniRocketFeatures.into(kernels, x, f);
        }

        /** The kernel count (at least one: 0 stands for Hydra's), then each kernel. */
        @Override
        public void write(PayloadWriter out) {
            out.writeInt(kernels.length);
            for (Kernel kernel : kernels) {
                out.writeInt(kernel.dilation()).writeInt(kernel.raised()).writeInt(kernel.channels().length)
                        .writeInts(kernel.channels()).writeBoolean(kernel.padded()).writeFloats(kernel.biases());
            }
        }
    }

    private record Served(Normalizer normalizer, int dims, int length, int[] levels, KernelTransform kernels,
                          ProjectedClustering clusters) implements ProjectedClustering.Served {

        @Override
        public double[] features(double[][] normalised, double[] scratch) {
            double[][] x = resample(normalised, length);
            return addLevels(kernels.into(x, scratch), kernels.featureCount(), x, levels);
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            out.writeInt(dims).writeInt(length).writeInts(levels);
            if (kernels instanceof HydraFeatures) {
                out.writeInt(0);
            }
            kernels.write(out);
            clusters.write(out);
        }
    }
}
