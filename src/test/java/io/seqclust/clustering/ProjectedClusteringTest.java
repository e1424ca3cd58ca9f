package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.layer.Activations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectedClusteringTest {

    /** The principal axes of a large window are fitted on a sample: distinct rows, in the window's order. */
    @Test
    void aLargeWindowIsSampledForTheAxes() {
        assertArrayEquals(IntStream.range(0, 50).toArray(), ProjectedClustering.sampleIndices(50, 50, new Random(1)));
        int[] drawn = ProjectedClustering.sampleIndices(50, 20, new Random(1));
        assertEquals(20, Arrays.stream(drawn).distinct().count());
        assertArrayEquals(Arrays.stream(drawn).sorted().toArray(), drawn);
        assertTrue(drawn[19] - drawn[0] > 20, "spread over the window, not its head: " + Arrays.toString(drawn));
    }

    /**
     * Trained on more rows than the sample, the clusters are still found, and a batch's probabilities are each row's
     * own, to the bit, over several of the rows projected together.
     */
    @ParameterizedTest
    @EnumSource(ProjectedClustering.Method.class)
    void clustersAWindowLargerThanTheSampleAndServesBatchesAsSingleRows(ProjectedClustering.Method method) {
        Random random = new Random(4);
        int n = ProjectedClustering.PCA_ROWS + 500;
        double[][] features = new double[n][30];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3;
            for (int f = 0; f < 30; f++) {
                features[i][f] = (f % 3 == truth[i] ? 4 : 0) + random.nextGaussian();
            }
        }
        ProjectedClustering.Result fit = ProjectedClustering.fit(features, options(method), 3, random);
        assertEquals(1.0, io.seqclust.evaluation.ClusteringScores.of(truth, fit.labels()).acc(), 1e-12);
        double[][] batch = Arrays.copyOf(features, 2 * ProjectedClustering.SERVING_ROWS + 7);
        double[][] together = fit.model().probabilities(batch);
        for (int i = 0; i < batch.length; i++) {
            assertArrayEquals(fit.model().probabilities(batch[i]), together[i], 0);
        }
    }

    /**
     * The window's features are never held together: a row the axes are fitted on is computed once, every other
     * row once per pass (means, deviations, projection); the clusters are those of the same rows held at once.
     */
    @ParameterizedTest
    @EnumSource(ProjectedClustering.Method.class)
    void computesRowsAgainRatherThanHoldingThemAll(ProjectedClustering.Method method) {
        int n = ProjectedClustering.PCA_ROWS + 300;
        double[][] features = twoGroups(n, 12, new Random(6));
        java.util.concurrent.atomic.AtomicIntegerArray calls = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        ProjectedClustering.Result streamed = ProjectedClustering.fit(n, i -> {
            calls.incrementAndGet(i);
            return features[i].clone();
        }, options(method), 2, new Random(7));
        int[] sample = ProjectedClustering.sampleIndices(n, ProjectedClustering.PCA_ROWS, new Random(7));
        java.util.Set<Integer> sampled = Arrays.stream(sample).boxed().collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i < n; i++) {
            assertEquals(sampled.contains(i) ? 1 : 3, calls.get(i), "row " + i);
        }
        ProjectedClustering.Result held = ProjectedClustering.fit(features, options(method), 2, new Random(7));
        assertArrayEquals(held.labels(), streamed.labels());
        assertEquals(held.inertia(), streamed.inertia(), 0);
    }

    /**
     * A checkpoint written before spectral clustering existed ends at the temperature, one written before bimodal at
     * the vote, one written before bounds at the sparse flag; all still read, and serve the window's rows by the
     * centroids as they did.
     */
    @Test
    void aPayloadWithoutTheVoteServesByItsCentroids() {
        Random random = new Random(3);
        double[][] features = twoGroups(60, 8, random);
        ProjectedClustering model = ProjectedClustering.fit(features, options(ProjectedClustering.Method.KMEANS), 2, random).model();
        byte[] written = written(model);
        int flag = new io.seqclust.checkpoint.PayloadWriter().writeBoolean(false).toBytes().length;
        int bounds = new io.seqclust.checkpoint.PayloadWriter().writeBoolean(true).writeFloats(new float[8])
                .writeFloats(new float[8]).toBytes().length;
        assertServesAsWritten(model, written, features);
        byte[] unbounded = Arrays.copyOf(written, written.length - bounds);
        assertServesAsWritten(model, unbounded, features);
        assertServesAsWritten(model, Arrays.copyOf(unbounded, unbounded.length - flag), features); // less "not sparse"
        assertServesAsWritten(model, Arrays.copyOf(unbounded, unbounded.length - 2 * flag), features); // and "no direction"
        assertServesAsWritten(model, Arrays.copyOf(unbounded, unbounded.length - 3 * flag), features); // and "no vote"
    }

    /**
     * A new row beyond every window row in some features is served as the row held at the window's range there, by
     * centroids and by the vote alike, and so is it read back: a feature the window barely varied in cannot carry a new
     * sequence far from every window sequence.
     */
    @ParameterizedTest
    @EnumSource(value = ProjectedClustering.Method.class, names = {"KMEANS", "SPECTRAL"})
    void servingHoldsEachFeatureWithinTheWindowsRange(ProjectedClustering.Method method) {
        double[][] features = twoGroups(60, 8, new Random(9));
        ProjectedClustering model = ProjectedClustering.fit(features, options(method), 2, new Random(10)).model();
        double[] far = features[3].clone();
        double[] edge = features[3].clone();
        far[1] = 1e6;
        far[2] = -1e6;
        edge[1] = Arrays.stream(features).mapToDouble(row -> row[1]).max().orElseThrow();
        edge[2] = Arrays.stream(features).mapToDouble(row -> row[2]).min().orElseThrow();
        assertArrayEquals(model.probabilities(edge), model.probabilities(far));
        assertFalse(Arrays.equals(model.probabilities(features[3]), model.probabilities(far)));
        assertServesAsWritten(model, written(model), new double[][] {far, edge, features[3]});
    }

    /** Sparse features are standardised as Hydra's authors do, in training and, read back, in serving. */
    @Test
    void sparseFeaturesKeepTheirZerosThroughTheCheckpoint() {
        Random random = new Random(4);
        double[][] features = twoGroups(60, 8, random);
        for (double[] row : features) {
            for (int j = 0; j < row.length; j += 3) {
                row[j] = Math.max(0, row[j]);
            }
        }
        ProjectedClustering model = ProjectedClustering.fit(features, options(ProjectedClustering.Method.KMEANS).sparse(true), 2,
                random).model();
        ProjectedClustering dense = ProjectedClustering.fit(features, options(ProjectedClustering.Method.KMEANS), 2,
                new Random(4)).model();
        assertServesAsWritten(model, written(model), features);
        assertFalse(Arrays.equals(written(model), written(dense)));
    }

    /**
     * With sparse features, auto keeps k-means for a graph that fell apart only where k-means' clusters nest in its
     * pieces: two groups far apart in three clusters do (one group split), three groups far apart in two clusters do
     * not (two groups merged across pieces), and spectral clustering serves them; dense features keep k-means for both.
     */
    @Test
    void sparseAutoKeepsKMeansOnlyWhereItsClustersNestInThePieces() {
        double[][] two = twoGroups(80, 6, 100, new Random(5));
        double[][] three = groups(90, 6, 3, 100, new Random(5));
        ProjectedClustering.Options sparse = options(ProjectedClustering.Method.AUTO).sparse(true);
        assertArrayEquals(written(ProjectedClustering.fit(two, options(ProjectedClustering.Method.KMEANS).sparse(true), 3,
                new Random(8)).model()), written(ProjectedClustering.fit(two, sparse, 3, new Random(8)).model()));
        assertTrue(ProjectedClustering.fit(three, sparse, 2, new Random(8)).model().spectral());
        assertFalse(fitted(three, ProjectedClustering.Method.AUTO, 2).spectral());
        assertFalse(fitted(two, ProjectedClustering.Method.AUTO, 3).spectral());
    }

    /**
     * Two groups apart on a few features, and a Gaussian factor shared by the others with far more variance: the
     * leading component is the factor, and k-means splits it; bimodal finds the groups on a lesser component, serves
     * them, and round-trips with its direction.
     */
    @Test
    void bimodalSplitsWhereTheLargestVarianceIsUnimodal() {
        Random random = new Random(9);
        int n = 200;
        double[][] features = new double[n][24];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            double factor = 3 * random.nextGaussian();
            for (int f = 0; f < 24; f++) {
                features[i][f] = (f < 6 ? 2.5 * truth[i] : factor) + random.nextGaussian();
            }
        }
        ProjectedClustering.Result bimodal = ProjectedClustering.fit(features, options(ProjectedClustering.Method.BIMODAL), 2,
                new Random(10));
        ProjectedClustering.Result kmeans = ProjectedClustering.fit(features, options(ProjectedClustering.Method.KMEANS), 2,
                new Random(10));
        assertTrue(io.seqclust.evaluation.ClusteringScores.of(truth, bimodal.labels()).acc() > 0.97,
                "bimodal " + io.seqclust.evaluation.ClusteringScores.of(truth, bimodal.labels()));
        assertTrue(io.seqclust.evaluation.ClusteringScores.of(truth, kmeans.labels()).acc() < 0.8,
                "k-means " + io.seqclust.evaluation.ClusteringScores.of(truth, kmeans.labels()));
        double[][] served = bimodal.model().probabilities(features);
        for (int i = 0; i < n; i++) {
            assertEquals(bimodal.labels()[i], served[i][1] > served[i][0] ? 1 : 0, "row " + i);
        }
        assertServesAsWritten(bimodal.model(), written(bimodal.model()), features);
    }

    /** bimodal is for two clusters; asked for another k it is auto, byte for byte. */
    @Test
    void bimodalIsAutoForOtherK() {
        double[][] joined = twoGroups(80, 6, 1, new Random(5));
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.AUTO, 3)),
                written(fitted(joined, ProjectedClustering.Method.BIMODAL, 3)));
    }

    /**
     * stablest, with several kernel draws of one window: each draw sees the two groups and a Gaussian factor of its
     * own with far more variance, so auto's partitions follow each draw's factor and disagree, while the least-kurtosis
     * splits find the groups in every draw and agree: the splits are served.
     */
    @Test
    void stablestServesTheSplitsWhereTheyAgreeMoreFromDrawToDraw() {
        Random random = new Random(9);
        int n = 200;
        int[] truth = IntStream.range(0, n).map(i -> i % 2).toArray();
        double[][][] draws = new double[3][n][24];
        for (double[][] draw : draws) {
            for (int i = 0; i < n; i++) {
                double factor = 3 * random.nextGaussian();
                for (int f = 0; f < 24; f++) {
                    draw[i][f] = (f < 6 ? 2.5 * truth[i] : factor) + random.nextGaussian();
                }
            }
        }
        List<ProjectedClustering.Result> auto = alike(ProjectedClustering.Method.AUTO, 2, draws);
        List<ProjectedClustering.Result> bimodal = alike(ProjectedClustering.Method.BIMODAL, 2, draws);
        List<ProjectedClustering.Result> stablest = alike(ProjectedClustering.Method.STABLEST, 2, draws);
        double autoAgreement = Ensemble.agreement(ProjectedClustering.labels(auto));
        double splitAgreement = Ensemble.agreement(ProjectedClustering.labels(bimodal));
        assertTrue(autoAgreement < 0.5 && splitAgreement > 0.8, "auto " + autoAgreement + ", splits " + splitAgreement);
        for (int d = 0; d < draws.length; d++) {
            assertTrue(io.seqclust.evaluation.ClusteringScores.of(truth, stablest.get(d).labels()).acc() > 0.97, "draw " + d);
        }
    }

    /**
     * stablest is auto, byte for byte, where auto's partitions agree from draw to draw as much as the splits do, for
     * other k, and with one draw, where agreement cannot be measured.
     */
    @Test
    void stablestIsAutoWhereThePartitionsAgreeAsMuchForOtherKAndForOneDraw() {
        double[][] joined = twoGroups(80, 6, 1, new Random(5));
        List<ProjectedClustering.Result> auto = alike(ProjectedClustering.Method.AUTO, 2, joined, joined);
        List<ProjectedClustering.Result> stablest = alike(ProjectedClustering.Method.STABLEST, 2, joined, joined);
        for (int d = 0; d < 2; d++) {
            assertArrayEquals(written(auto.get(d).model()), written(stablest.get(d).model()), "draw " + d);
        }
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.AUTO, 3)),
                written(fitted(joined, ProjectedClustering.Method.STABLEST, 3)));
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.AUTO, 2)),
                written(fitted(joined, ProjectedClustering.Method.STABLEST, 2)));
    }

    /** Spectral clustering's model round-trips with its vote: the same probabilities after reading. */
    @Test
    void aSpectralModelRoundTrips() {
        Random random = new Random(5);
        double[][] features = twoGroups(80, 6, random);
        ProjectedClustering model = ProjectedClustering.fit(features, options(ProjectedClustering.Method.SPECTRAL), 2, random).model();
        assertServesAsWritten(model, written(model), features);
    }

    /**
     * auto is spectral clustering while the window's neighbour graph is in one piece, and k-means once it falls apart,
     * where spectral clustering would follow the pieces whatever k asks for: the same model, byte for byte, as the
     * method it stands for.
     */
    @Test
    void autoClustersByTheGraphUntilItFallsApart() {
        double[][] joined = twoGroups(80, 6, 1, new Random(5));
        double[][] apart = twoGroups(80, 6, 100, new Random(5));
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.SPECTRAL, 2)),
                written(fitted(joined, ProjectedClustering.Method.AUTO, 2)));
        assertArrayEquals(written(fitted(apart, ProjectedClustering.Method.KMEANS, 3)),
                written(fitted(apart, ProjectedClustering.Method.AUTO, 3)));
    }

    /**
     * Several projections of one window (kernel draws) are clustered alike: by k-means in every one when any one's graph
     * falls apart, by spectral clustering in every one while all hold together; each exactly as it would be on its own.
     */
    @Test
    void drawsAreClusteredByKMeansWhenAnyGraphFallsApart() {
        double[][] joined = twoGroups(80, 6, 1, new Random(5));
        double[][] apart = twoGroups(80, 6, 100, new Random(5));
        double[][] alsoJoined = twoGroups(80, 6, 1, new Random(6));
        List<ProjectedClustering.Result> mixed = alike(ProjectedClustering.Method.AUTO, 2, joined, apart);
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.KMEANS, 2)), written(mixed.get(0).model()));
        assertArrayEquals(written(fitted(apart, ProjectedClustering.Method.KMEANS, 2)), written(mixed.get(1).model()));
        List<ProjectedClustering.Result> whole = alike(ProjectedClustering.Method.AUTO, 2, joined, alsoJoined);
        assertArrayEquals(written(fitted(joined, ProjectedClustering.Method.SPECTRAL, 2)), written(whole.get(0).model()));
        assertArrayEquals(written(fitted(alsoJoined, ProjectedClustering.Method.SPECTRAL, 2)), written(whole.get(1).model()));
        List<ProjectedClustering.Result> spectral = alike(ProjectedClustering.Method.SPECTRAL, 2, joined, apart);
        assertArrayEquals(written(fitted(apart, ProjectedClustering.Method.SPECTRAL, 2)), written(spectral.get(1).model()),
                "spectral asked for is spectral whatever the graph");
    }

    /**
     * A window of four rows per cluster joins each row to four neighbours, not the ten asked for, which would reach into
     * the other clusters whatever the data; a large window to the ten. The small window's clusters still serve new rows.
     */
    @Test
    void aSmallWindowsGraphReachesAtMostAClustersWorthOfRows() {
        ProjectedClustering.Options spectral = options(ProjectedClustering.Method.SPECTRAL);
        double[][] large = groups(200, 8, 4, 3, new Random(3));
        assertEquals(10, ProjectedClustering.Projection.of(200, i -> large[i], spectral, 4, new Random(8)).graph().neighbours());
        double[][] window = groups(16, 8, 4, 3, new Random(3));
        assertEquals(4, ProjectedClustering.Projection.of(16, i -> window[i], spectral, 4, new Random(8)).graph().neighbours());
        ProjectedClustering.Result fitted = ProjectedClustering.fit(window, spectral, 4, new Random(8));
        double[][] fresh = groups(400, 8, 4, 3, new Random(4));
        int[] served = Arrays.stream(fresh).mapToInt(x -> Activations.argmax(fitted.model().probabilities(x))).toArray();
        double acc = ClusteringScores.of(IntStream.range(0, 400).map(i -> i % 4).toArray(), served).acc();
        assertTrue(acc > 0.95, "new rows take their group's cluster: ACC " + acc);
    }

    private static List<ProjectedClustering.Result> alike(ProjectedClustering.Method method, int k, double[][]... draws) {
        List<ProjectedClustering.Projection> projections = new ArrayList<>();
        List<Random> randoms = new ArrayList<>();
        for (double[][] features : draws) {
            Random random = new Random(8);
            projections.add(ProjectedClustering.Projection.of(features.length, i -> features[i], options(method), k, random));
            randoms.add(random);
        }
        return ProjectedClustering.fitAlike(projections, options(method), k, randoms);
    }

    private static ProjectedClustering fitted(double[][] features, ProjectedClustering.Method method, int k) {
        return ProjectedClustering.fit(features, options(method), k, new Random(8)).model();
    }

    private static byte[] written(ProjectedClustering model) {
        io.seqclust.checkpoint.PayloadWriter out = new io.seqclust.checkpoint.PayloadWriter();
        model.write(out);
        return out.toBytes();
    }

    /** The model read from {@code bytes}, every byte of them, gives the model's own probabilities. */
    private static void assertServesAsWritten(ProjectedClustering model, byte[] bytes, double[][] features) {
        io.seqclust.checkpoint.PayloadReader in = new io.seqclust.checkpoint.PayloadReader(bytes);
        ProjectedClustering read = ProjectedClustering.read(in, features[0].length, "test");
        in.end();
        assertArrayEquals(model.probabilities(features), read.probabilities(features));
    }

    /** n rows of two groups, odd and even rows, apart on alternate features. */
    private static double[][] twoGroups(int n, int dims, Random random) {
        return twoGroups(n, dims, 3, random);
    }

    /** n rows of two groups, odd and even rows, {@code apart} on alternate features (unit noise). */
    private static double[][] twoGroups(int n, int dims, double apart, Random random) {
        return groups(n, dims, 2, apart, random);
    }

    /** n rows of groups by the row's index mod {@code count}, {@code apart} on features of their own (unit noise). */
    private static double[][] groups(int n, int dims, int count, double apart, Random random) {
        double[][] features = new double[n][dims];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < dims; f++) {
                features[i][f] = (f % count == i % count ? apart : 0) + random.nextGaussian();
            }
        }
        return features;
    }

    private static ProjectedClustering.Options options(ProjectedClustering.Method method) {
        return new ProjectedClustering.Options(0.9, 10, 3, method, 10, false);
    }
}
