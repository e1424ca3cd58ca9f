package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.math.KMeans;
import io.seqclust.math.Pca;
import io.seqclust.math.ProjectionPursuit;
import io.seqclust.math.SoftAssignment;
import io.seqclust.math.SpectralClustering;
import io.seqclust.math.Standardisation;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.serving.FloatOps;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The clustering half of the random-kernel models ({@link Rocket}, {@link MiniRocket}), as R-Clustering has
 * it: the features standardised over the window, reduced by PCA (the share of variance asked for, at most a
 * number of components) and clustered, by k-means (R-Clustering's), by spectral clustering
 * ({@link SpectralClustering}, on the rows the axes are fitted on; the window's other rows, and serving, by
 * {@link NeighbourVote}), or (auto) by spectral clustering unless the graph falls apart and by k-means if it does;
 * for two clusters, also split along the most bimodal direction (bimodal), or (stablest) by whichever of the two
 * agrees more across several kernel draws.
 * Serving projects a sequence's features the same way, each standardised feature first held within the range the
 * window's sequences spanned ({@link Standardisation#within}): a feature that barely varied over a small window has a
 * small deviation, so a new sequence a little off it was standardised to tens and carried far along every component
 * the feature loads on, by a difference the window could not weigh (train→test RI over the DTCR table's 15, 10 seeds:
 * 0.778 → 0.779, Meat 0.864 → 0.879, no set lower by more than 0.002). The window's own rows lie within the range, so
 * its partition is untouched. With k-means a sequence's
 * probabilities are a softmax of −‖z − μ_j‖² / τ, τ the window's mean squared distance to its centroid.
 * The projection serves in float32 through {@link FloatOps} (a vector–matrix product over the axes,
 * transposed): with thousands of features it cost as much as the features themselves in double (measured,
 * 10,000 features, 50 components: about 0.3 ms per sequence). The features are standardised in double first,
 * so that a nearly constant feature's large scale never meets float32's rounding.
 */
final class ProjectedClustering {

    /** How the components are clustered. */
    public enum Method {
        KMEANS, SPECTRAL, AUTO, BIMODAL, STABLEST;

        /** How the window is partitioned where no split serves: bimodal and stablest as auto. */
        Method partitioning() {
            return this == BIMODAL || this == STABLEST ? AUTO : this;
        }
    }

    static final String METHOD_SETTING = "how the principal components are clustered: spectral (a nearest-neighbour graph of the"
            + " window's sequences, local scaling; new sequences take their nearest window sequences' clusters), kmeans, or auto"
            + " (spectral while the graph is in one piece, kmeans when it falls apart: then spectral clustering follows the pieces"
            + " whatever k is), or bimodal (for k = 2: the window split along its most bimodal direction, the least kurtosis,"
            + " in its leading standardised components; for other k as auto), or stablest (for k = 2 with several kernel draws:"
            + " auto's partitions or bimodal's splits, whichever agree more from draw to draw; otherwise as auto)";
    static final String PCA_VARIANCE_SETTING = "share of the features' variance the principal components keep";
    static final String MAX_COMPONENTS_SETTING = "principal components at most";
    static final String RESTARTS_SETTING = "k-means restarts (on the components, or on the spectral embedding); the lowest inertia wins";
    static final String NEIGHBOURS_SETTING = "spectral and auto: each sequence's neighbours in the graph, and the window sequences that"
            + " vote for a new sequence's cluster, at most as many as the window's sequences per cluster";

    /**
     * What the features are reduced to and how they are clustered. {@code sparse}: the features are counts that are
     * mostly zero (Hydra's, {@link HydraFeatures}), standardised as their authors do ({@link Standardisation#sparse}),
     * and with {@code auto} k-means serves a window whose graph falls apart only where its clusters nest in the
     * graph's pieces ({@link #fitAlike}).
     */
    record Options(double pcaVariance, int maxComponents, int restarts, Method method, int neighbours, boolean sparse) {

        Options sparse(boolean sparse) {
            return new Options(pcaVariance, maxComponents, restarts, method, neighbours, sparse);
        }
    }

    /** A model's settings that hold the {@link Options}, under the settings' names. */
    interface Configured {
        double pcaVariance();

        int maxComponents();

        int kmeansRestarts();

        Method clustering();

        int neighbours();

        default Options clusteringOptions() {
            return new Options(pcaVariance(), maxComponents(), kmeansRestarts(), clustering(), neighbours(), false);
        }
    }

    private static final int KMEANS_ITERATIONS = 300;
    /**
     * With sparse features, the share of a draw's sequences that must lie in their k-means cluster's main piece of the
     * graph for k-means to serve a window whose graph fell apart (see {@link #fitAlike}).
     */
    static final double NESTED = 0.99;
    /** Components the bimodal direction is sought in at most (see {@link Projection#bimodal}). */
    static final int BIMODAL_COMPONENTS = 8;
    private static final FloatOps FLOATS = FloatOps.best();
    /**
     * The principal axes are fitted on at most this many of the window's sequences, drawn with the run's seed, and
     * every sequence is projected on them: the fit costs the cube of min(rows, features), and on the service's
     * window of 5,000 sequences with 10,000 features it took over four minutes (measured, {@code bench --model
     * minirocket --window 5000}).
     */
    static final int PCA_ROWS = 1000;
    /** Rows whose features are computed together (in parallel) and held at once in a pass. */
    private static final int CHUNK = 256;
    /** Rows projected together in serving: a multiple of the kernel's four, and a thread's buffer bounded whatever the batch. */
    static final int SERVING_ROWS = 16;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The fitted half with the window's labels and its mean squared distance to the centroids. */
    record Result(ProjectedClustering model, int[] labels, double inertia) {
    }

    /** A served random-kernel model: its normalisation, its features of a normalised sequence, its clusters. */
    interface Served extends Assigner {

        Normalizer normalizer();

        ProjectedClustering clusters();

        /**
         * The features of a normalised sequence: written into {@code scratch} (as long as the clusters' features,
         * kept by the serving thread) and returned, or returned in an array of their own.
         */
        double[] features(double[][] normalised, double[] scratch);

        @Override
        default int k() {
            return clusters().k();
        }

        @Override
        default double[] probabilities(double[][] values) {
            return probabilities(Collections.singletonList(values))[0];
        }

        @Override
        default double[][] probabilities(List<double[][]> batch) {
            return clusters().probabilities(batch.size(), (r, scratch) -> features(normalizer().apply(batch.get(r)), scratch));
        }
    }

    /** Row r's features, written into {@code scratch} and returned, or returned in an array of their own. */
    @FunctionalInterface
    interface FeatureRows {
        double[] row(int r, double[] scratch);
    }

    /**
     * Trains a random-kernel model on a normalised window: each sequence's features (in parallel), clustered; the
     * model is what {@code served} makes of the clusters.
     */
    static Fit fit(List<double[][]> data, Function<double[][], double[]> features, Options options, int k, Random random,
                   TrainingProgress progress, Function<ProjectedClustering, Served> served) {
        Result clustered = fit(data.size(), i -> features.apply(data.get(i)), options, k, random);
        new Progress.Clock(1, progress).epochDone(LossTerms.of("inertia", clustered.inertia()));
        return new Fit(served.apply(clustered.model()), clustered.labels(), clustered.inertia(), List.of());
    }

    static Result fit(double[][] features, Options options, int k, Random random) {
        return fit(features.length, i -> features[i], options, k, random);
    }

    /** The window's n rows, their features computed by {@code row} when needed ({@link Projection#of}), clustered. */
    static Result fit(int n, IntFunction<double[]> row, Options options, int k, Random random) {
        return fitAlike(List.of(Projection.of(n, row, options, k, random)), options, k, List.of(random)).get(0);
    }

    /**
     * Several projections of one window (one per kernel draw, each with its own random source) clustered alike: by
     * spectral clustering only where every one of them would be. With {@code auto}, a window whose graph falls apart
     * in any draw is clustered by k-means in every draw: over the suite's seeds, whether DistalPhalanxOutlineAgeGroup's
     * graph fell apart changed from draw to draw, and its spectral partitions lost 0.10 RI to k-means'. With
     * {@code stablest} and two clusters, the draws' bimodal splits replace their partitions where the splits agree more
     * (mean pairwise NMI): on the suite's two-class sets and on held-out pairs of classes this gained in both
     * protocols, where the split alone lost wherever a window's most bimodal direction is not its clusters'.
     *
     * <p>With sparse features (Hydra's) the graph falls apart more often, also where its pieces are parts of clusters
     * (DiatomSizeReduction, Trace: spectral clustering's partitions there beat k-means'); k-means serves only where
     * each of its clusters, in every draw, lies within one piece ({@link #NESTED}), as on the phalanx sets. Measured
     * with Hydra's features only: with MiniRocket's PPV it sent Epilepsy's window to spectral clustering and lost
     * (docs/train-test-attempts.md).
     */
    static List<Result> fitAlike(List<Projection> projections, Options options, int k, List<Random> randoms) {
        if (options.method() == Method.BIMODAL && k == 2) {
            return split(projections, options, randoms);
        }
        boolean spectral = projections.stream().allMatch(p -> p.spectral(options.method().partitioning()));
        List<Result> partitions = IntStream.range(0, projections.size())
                .mapToObj(d -> projections.get(d).cluster(spectral, k, options.restarts(), randoms.get(d))).toList();
        if (!spectral && options.sparse() && options.method().partitioning() == Method.AUTO && !nested(projections, partitions, k)) {
            partitions = IntStream.range(0, projections.size())
                    .mapToObj(d -> projections.get(d).cluster(true, k, options.restarts(), randoms.get(d))).toList();
        }
        if (options.method() != Method.STABLEST || k != 2 || projections.size() < 2) {
            return partitions;
        }
        // A split that is the window's structure comes back in every kernel draw; one that noise made does not.
        List<Result> splits = split(projections, options, randoms);
        return Ensemble.agreement(labels(splits)) > Ensemble.agreement(labels(partitions)) ? splits : partitions;
    }

    /** Whether every draw's partition nests in its graph's pieces ({@link #NESTED}); false where a draw has no graph. */
    private static boolean nested(List<Projection> projections, List<Result> partitions, int k) {
        for (int d = 0; d < projections.size(); d++) {
            Projection p = projections.get(d);
            if (p.graph() == null) {
                return true;
            }
            int[] labels = partitions.get(d).labels();
            int[] sampled = Arrays.stream(p.sample()).map(i -> labels[i]).toArray();
            if (SpectralClustering.nesting(sampled, k, SpectralClustering.pieces(p.graph().affinity())) < NESTED) {
                return false;
            }
        }
        return true;
    }

    private static List<Result> split(List<Projection> projections, Options options, List<Random> randoms) {
        return IntStream.range(0, projections.size())
                .mapToObj(d -> projections.get(d).bimodal(options.restarts(), randoms.get(d))).toList();
    }

    static List<int[]> labels(List<Result> results) {
        return results.stream().map(Result::labels).toList();
    }

    /**
     * A window's rows on their principal axes, and the neighbour graph of the rows the axes are fitted on (none when
     * the rows are clustered by k-means whatever the graph: with {@code kmeans}, or when a row's features overflowed,
     * which k-means sets aside and a graph cannot); {@code scaling} is bounded by the range the window's rows spanned.
     */
    record Projection(Standardisation scaling, Pca pca, double[][] z, int[] sample, NeighbourVote.Graph graph) {

        /**
         * Over the features of n rows, computed by {@code row} when needed: the window's features are never held
         * together, only those of the rows the axes are fitted on, and the rest are computed again in each of three
         * passes (means, deviations, projection). Held together, minirocket's 10,000 features of a 3,000-sequence
         * window were 240 MB, twice over when standardised, and a service with a 512 MB heap failed every training run
         * ({@code RestartIT}); recomputing costs a few seconds at most. The numbers are those of fitting on every row.
         * The graph joins each row to at most its sample's rows per cluster ({@link NeighbourVote#neighbours}, k clusters).
         */
        static Projection of(int n, IntFunction<double[]> row, Options options, int k, Random random) {
            int[] sample = sampleIndices(n, PCA_ROWS, random);
            boolean[] sampled = new boolean[n];
            for (int i : sample) {
                sampled[i] = true;
            }
            double[][] kept = new double[n][];
            double[][] sums = new double[3][];
            visit(n, row, kept, (i, f) -> {
                if (sums[0] == null) {
                    sums[0] = new double[f.length];
                    sums[1] = new double[f.length];
                    sums[2] = new double[f.length];
                }
                Standardisation.addToMean(sums[0], f, n);
                if (options.sparse()) {
                    Standardisation.addToZeros(sums[2], f, n);
                }
                kept[i] = sampled[i] ? f : null;
            });
            visit(n, row, kept, (i, f) -> Standardisation.addToVariance(sums[1], sums[0], f, n));
            Standardisation scaling = options.sparse() ? Standardisation.sparse(sums[0], sums[1], sums[2])
                    : Standardisation.of(sums[0], sums[1]);
            double[][] axesRows = new double[sample.length][];
            for (int s = 0; s < sample.length; s++) {
                kept[sample[s]] = scaling.apply(kept[sample[s]]);
                axesRows[s] = kept[sample[s]];
            }
            Pca pca = Pca.fit(axesRows, options.pcaVariance(), options.maxComponents());
            double[][] z = new double[n][];
            float[] low = new float[pca.axes()[0].length];
            float[] high = new float[low.length];
            Arrays.fill(low, Float.POSITIVE_INFINITY);
            Arrays.fill(high, Float.NEGATIVE_INFINITY);
            visit(n, row, kept, (i, f) -> {
                double[] standardised = sampled[i] ? f : scaling.apply(f);
                Standardisation.widen(low, high, standardised);
                z[i] = pca.project(standardised);
            });
            Standardisation bounded = scaling.within(low, high);
            double[][] references = Arrays.stream(sample).mapToObj(i -> z[i]).toArray(double[][]::new);
            boolean graph = options.method() != Method.KMEANS && KMeans.finiteRows(references).length == references.length;
            return new Projection(bounded, pca, z, sample, graph
                    ? NeighbourVote.Graph.of(references, NeighbourVote.neighbours(options.neighbours(), references.length, k)) : null);
        }

        /** Whether the method clusters this projection by spectral clustering (auto: while its graph is in one piece). */
        boolean spectral(Method method) {
            return graph != null && (method == Method.SPECTRAL || method == Method.AUTO && graph.connected());
        }

        Result cluster(boolean spectral, int k, int restarts, Random random) {
            if (!spectral) {
                KMeans.Result km = KMeans.fit(z, k, restarts, KMEANS_ITERATIONS, random);
                double inertia = km.inertia() / z.length;
                return new Result(new ProjectedClustering(scaling, pca, km.centroids(), Math.max(inertia, 1e-12), null, null, 0),
                        km.labels(), inertia);
            }
            NeighbourVote vote = NeighbourVote.of(graph, k, restarts, random);
            int n = z.length;
            int[] labels = new int[n];
            int s = 0;
            for (int i = 0; i < n; i++) {
                labels[i] = s < sample.length && sample[s] == i ? vote.labels()[s++] : Activations.argmax(vote.probabilities(z[i]));
            }
            double[][] centroids = KMeans.centroids(z, labels, k);
            double inertia = KMeans.inertia(z, labels, centroids) / n;
            return new Result(new ProjectedClustering(scaling, pca, centroids, Math.max(inertia, 1e-12), vote, null, 0),
                    labels, inertia);
        }

        /**
         * Two clusters split along the most bimodal direction ({@link ProjectionPursuit}) of the leading components,
         * each standardised over the rows the axes are fitted on: at most {@link #BIMODAL_COMPONENTS}, and at most a
         * third as many as those rows, since with few rows some direction of many components looks bimodal whatever
         * the data. The rows' projections on it are split by k-means; serving projects a sequence the same way.
         */
        Result bimodal(int restarts, Random random) {
            int m = Math.max(1, Math.min(Math.min(BIMODAL_COMPONENTS, z[0].length), sample.length / 3));
            double[][] leading = Arrays.stream(sample).mapToObj(i -> Arrays.copyOf(z[i], m)).toArray(double[][]::new);
            Standardisation standardisation = Standardisation.fit(leading);
            double[][] standardised = Arrays.stream(leading).map(standardisation::apply).toArray(double[][]::new);
            double[] w = ProjectionPursuit.leastKurtosis(standardised, m, random);
            double[] lens = new double[z[0].length];
            double offset = 0;
            for (int a = 0; a < m; a++) {
                lens[a] = w[a] / standardisation.sd()[a];
                offset -= lens[a] * standardisation.mean()[a];
            }
            double[][] projected = new double[z.length][];
            for (int i = 0; i < z.length; i++) {
                projected[i] = new double[] {along(z[i], lens, offset)};
            }
            KMeans.Result km = KMeans.fit(projected, 2, restarts, KMEANS_ITERATIONS, random);
            double inertia = km.inertia() / z.length;
            return new Result(new ProjectedClustering(scaling, pca, km.centroids(), Math.max(inertia, 1e-12), null, lens, offset),
                    km.labels(), inertia);
        }
    }

    /** Every row in order, a chunk's features computed in parallel: the kept row where there is one. */
    private static void visit(int n, IntFunction<double[]> row, double[][] kept, RowVisitor visitor) {
        for (int start = 0; start < n; start += CHUNK) {
            int from = start;
            double[][] chunk = new double[Math.min(CHUNK, n - start)][];
            IntStream.range(0, chunk.length).parallel().forEach(c -> chunk[c] = kept[from + c] != null ? kept[from + c]
                    : row.apply(from + c));
            for (int c = 0; c < chunk.length; c++) {
                visitor.visit(from + c, chunk[c]);
            }
        }
    }

    @FunctionalInterface
    private interface RowVisitor {
        void visit(int index, double[] features);
    }

    private final Standardisation scaling;
    private final Pca pca;
    private final double[][] centroids;
    private final double temperature;
    /** The spectral partition's vote, or null: served by the centroids. */
    private final NeighbourVote vote;
    /**
     * With {@code bimodal}, the direction over the components that the centroids lie on (a sequence's coordinate is
     * z · lens + offset), or null: the centroids lie in the components' space.
     */
    private final double[] lens;
    private final double offset;
    /** The axes transposed, features × components padded to the lanes' width. */
    private final float[] axesByFeature;
    private final int width;

    ProjectedClustering(Standardisation scaling, Pca pca, double[][] centroids, double temperature, NeighbourVote vote,
                        double[] lens, double offset) {
        this.scaling = scaling;
        this.vote = vote;
        this.lens = lens;
        this.offset = offset;
        this.pca = pca;
        this.centroids = centroids;
        this.temperature = temperature;
        double[][] axes = pca.axes();
        int features = axes[0].length;
        width = (axes.length + FLOATS.width() - 1) / FLOATS.width() * FLOATS.width();
        axesByFeature = new float[features * width];
        for (int a = 0; a < axes.length; a++) {
            for (int f = 0; f < features; f++) {
                axesByFeature[f * width + a] = (float) axes[a][f];
            }
        }
    }

    /** At most {@code most} of n indices, drawn without repeats, in order; all of them when there are no more. */
    static int[] sampleIndices(int n, int most, Random random) {
        int[] order = IntStream.range(0, n).toArray();
        if (n <= most) {
            return order;
        }
        for (int i = 0; i < most; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return Arrays.stream(order, 0, most).sorted().toArray();
    }

    int k() {
        return centroids.length;
    }

    /** Whether a spectral partition serves (by its neighbour vote). */
    boolean spectral() {
        return vote != null;
    }

    double[] probabilities(double[] features) {
        return probabilities(new double[][] {features})[0];
    }

    double[][] probabilities(double[][] features) {
        return probabilities(features.length, (r, scratch) -> features[r]);
    }

    /**
     * Each row's probabilities, {@link #SERVING_ROWS} rows at a time projected in one matrix–matrix product (the axes
     * read once per four rows rather than once per row), each row exactly as on its own. The rows' features and their
     * standardised floats go through arrays this thread keeps: made for every record, minirocket's were 120 of the
     * ~300 KB it allocated per record (JFR).
     */
    double[][] probabilities(int rows, FeatureRows features) {
        int count = axesByFeature.length / width;
        Buffers buffers = BUFFERS.get().fit(count, width);
        double[][] p = new double[rows][];
        double[] z = new double[pca.axes().length];
        for (int start = 0; start < rows; start += SERVING_ROWS) {
            int chunk = Math.min(SERVING_ROWS, rows - start);
            for (int r = 0; r < chunk; r++) {
                scaling.applyInto(features.row(start + r, buffers.features), buffers.standardised, r * count);
            }
            Arrays.fill(buffers.projected, 0, chunk * width, 0f);
            FLOATS.multiply(buffers.standardised, 0, count, chunk, count, axesByFeature, 0, buffers.projected, 0, width, width);
            for (int r = 0; r < chunk; r++) {
                for (int a = 0; a < z.length; a++) {
                    z[a] = buffers.projected[r * width + a];
                }
                p[start + r] = vote != null ? vote.probabilities(z)
                        : SoftAssignment.ofSquaredDistances(lens != null ? new double[] {along(z, lens, offset)} : z, centroids,
                        temperature);
            }
        }
        return p;
    }

    /** z's coordinate on the bimodal direction. */
    private static double along(double[] z, double[] lens, double offset) {
        return offset + ProjectionPursuit.dot(z, lens);
    }

    /** A serving thread's arrays, grown to the largest model it has served. */
    private static final class Buffers {
        private double[] features = new double[0];
        private float[] standardised = new float[0];
        private float[] projected = new float[0];

        Buffers fit(int count, int width) {
            if (features.length < count) {
                features = new double[count];
                standardised = new float[SERVING_ROWS * count];
            }
            if (projected.length < SERVING_ROWS * width) {
                projected = new float[SERVING_ROWS * width];
            }
            return this;
        }
    }

    void write(PayloadWriter out) {
        out.writeDoubles(scaling.mean()).writeDoubles(scaling.sd()).writeInt(pca.axes().length).writeMatrix(pca.axes());
        out.writeInt(centroids.length).writeMatrix(centroids);
        out.writeDouble(temperature);
        out.writeBoolean(vote != null);
        if (vote != null) {
            vote.write(out);
        }
        out.writeBoolean(lens != null);
        if (lens != null) {
            out.writeDoubles(lens).writeDouble(offset);
        }
        out.writeBoolean(scaling.sparse());
        out.writeBoolean(scaling.bounded());
        if (scaling.bounded()) {
            out.writeFloats(scaling.low()).writeFloats(scaling.high());
        }
    }

    /** Reads what {@link #write} wrote, for {@code features} features per sequence. */
    static ProjectedClustering read(PayloadReader in, int features, String model) {
        double[] mean = in.readDoubles("feature means", features);
        double[] sd = in.readDoubles("feature standard deviations", features);
        int components = in.readInt("principal components", 1, 1000);
        Pca pca = new Pca(in.readMatrix("principal axes", components, features));
        int k = in.readInt("k", 1, 1 << 16);
        double[][] centroids = in.readMatrix("centroids", k, 1, components);
        double temperature = in.readDouble();
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(model + " temperature must be positive, was " + temperature);
        }
        // Checkpoints written before spectral clustering end here, those written before bimodal after the vote, those
        // written before sparse scaling after the direction, those written before bounds after the sparse flag.
        NeighbourVote vote = !in.atEnd() && in.readBoolean() ? NeighbourVote.read(in, components, k) : null;
        double[] lens = !in.atEnd() && in.readBoolean() ? in.readDoubles("bimodal direction", components) : null;
        double offset = lens != null ? in.readDouble() : 0;
        boolean sparse = !in.atEnd() && in.readBoolean();
        boolean bounded = !in.atEnd() && in.readBoolean();
        float[] low = bounded ? in.readFloats("features' lowest standardised values", features) : null;
        float[] high = bounded ? in.readFloats("features' highest standardised values", features) : null;
        if (bounded && IntStream.range(0, features).anyMatch(j -> !(low[j] <= high[j]))) {
            throw new IllegalArgumentException(model + " bounds must be numbers, the lowest at most the highest");
        }
        if (centroids[0].length != (lens != null ? 1 : components)) {
            throw new IllegalArgumentException(model + " centroids have " + centroids[0].length + " coordinates, expected "
                    + (lens != null ? 1 : components));
        }
        return new ProjectedClustering(new Standardisation(mean, sd, sparse, low, high), pca, centroids, temperature, vote, lens,
                offset);
    }
}
