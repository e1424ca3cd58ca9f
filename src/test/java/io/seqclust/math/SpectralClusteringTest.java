package io.seqclust.math;

import io.seqclust.evaluation.ClusteringScores;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectralClusteringTest {

    /** Two concentric rings: k-means cuts them in half, the graph follows each ring. */
    @Test
    void separatesRingsThatKMeansCannot() {
        Random random = new Random(2);
        int n = 200;
        double[][] points = new double[n][];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            double radius = (truth[i] == 0 ? 1 : 4) + 0.1 * random.nextGaussian();
            double angle = 2 * Math.PI * random.nextDouble();
            points[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
        }
        double[][] d2 = SpectralClustering.squaredDistances(points);
        int[] spectral = SpectralClustering.labels(SpectralClustering.affinity(d2, SpectralClustering.scales(d2), 10), 2, 5, new Random(1));
        int[] kmeans = KMeans.fit(points, 2, 5, 300, new Random(1)).labels();
        assertEquals(1.0, ClusteringScores.of(truth, spectral).acc(), 1e-12);
        assertTrue(ClusteringScores.of(truth, kmeans).acc() < 0.75, "k-means should fail on rings");
    }

    @Test
    void theGraphJoinsEachPointToItsNearestBothWays() {
        double[][] points = {{0}, {1}, {3}, {10}};
        double[][] d2 = SpectralClustering.squaredDistances(points);
        double[] scales = SpectralClustering.scales(d2);
        // fewer than 7 others: the farthest one's distance
        assertArrayEquals(new double[] {10, 9, 7, 10}, scales, 1e-12);
        double[][] w = SpectralClustering.affinity(d2, scales, 1);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(w[i][j], w[j][i], 0);
            }
        }
        assertEquals(Math.exp(-1.0 / 90), w[0][1], 1e-15);
        assertEquals(Math.exp(-49.0 / 70), w[3][2], 1e-15); // 3's nearest is 2: joined though 2's nearest is 1
        assertEquals(0, w[0][2], 0);
        assertEquals(0, w[0][3], 0);
    }

    /** Points joined by a path of positive weights are one piece; an isolated point is a piece of its own. */
    @Test
    void countsThePiecesTheGraphFallsInto() {
        double[][] w = new double[5][5];
        w[0][1] = w[1][0] = 0.5;
        w[1][2] = w[2][1] = 1e-300; // a weak edge still joins
        w[3][4] = w[4][3] = 1;
        assertEquals(2, SpectralClustering.components(w));
        w[1][2] = w[2][1] = 0;
        assertEquals(3, SpectralClustering.components(w));
        assertEquals(5, SpectralClustering.components(new double[5][5]));
        double[][] points = {{0}, {1}, {2}, {100}, {101}, {102}};
        double[][] d2 = SpectralClustering.squaredDistances(points);
        assertEquals(2, SpectralClustering.components(SpectralClustering.affinity(d2, SpectralClustering.scales(d2), 2)));
        assertEquals(1, SpectralClustering.components(SpectralClustering.affinity(d2, SpectralClustering.scales(d2), 3)),
                "with three neighbours each point reaches the other group");
    }

    /**
     * A partition nests in the pieces by the share of points in their cluster's main piece: 1 where every cluster lies in
     * one piece (two clusters may share one), less where a cluster spans pieces.
     */
    @Test
    void nestingIsTheShareOfPointsInTheirClustersMainPiece() {
        double[][] w = new double[5][5];
        w[0][1] = w[1][0] = 0.5;
        w[3][4] = w[4][3] = 1;
        int[] pieces = SpectralClustering.pieces(w);
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, pieces);
        assertEquals(1.0, SpectralClustering.nesting(new int[] {0, 0, 0, 1, 1}, 2, new int[] {0, 0, 0, 1, 1}), 0);
        assertEquals(1.0, SpectralClustering.nesting(new int[] {0, 1, 2, 2, 2}, 3, new int[] {0, 0, 0, 0, 0}), 0,
                "clusters that share a piece still nest");
        assertEquals(0.8, SpectralClustering.nesting(new int[] {0, 0, 1, 1, 1}, 2, pieces), 1e-15,
                "cluster 1 spans pieces 1 and 2: point 2 lies outside its main piece");
    }

    @Test
    void duplicatesKeepAFiniteScale() {
        double[][] points = new double[9][];
        Arrays.setAll(points, i -> new double[] {i < 8 ? 0 : 1});
        double[] scales = SpectralClustering.scales(SpectralClustering.squaredDistances(points));
        assertEquals(1e-6, scales[0], 0);
        assertTrue(Arrays.stream(SpectralClustering.embedding(SpectralClustering.affinity(
                SpectralClustering.squaredDistances(points), scales, 3), 2)).flatMapToDouble(Arrays::stream)
                .allMatch(Double::isFinite));
    }

    /** The embedding's rows have unit length, and two disconnected groups embed at two orthogonal points. */
    @Test
    void disconnectedGroupsEmbedAtOrthogonalPoints() {
        double[][] w = {{0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 2}, {0, 0, 2, 0}};
        double[][] u = SpectralClustering.embedding(w, 2);
        for (double[] row : u) {
            assertEquals(1, Math.hypot(row[0], row[1]), 1e-12);
        }
        assertEquals(1, Math.abs(u[0][0] * u[1][0] + u[0][1] * u[1][1]), 1e-12);
        assertEquals(0, u[0][0] * u[2][0] + u[0][1] * u[2][1], 1e-12);
    }

    @Test
    void nearestIsThePrefixOfTheSortedOrder() {
        Random random = new Random(9);
        for (int trial = 0; trial < 200; trial++) {
            double[] values = random.doubles(1 + random.nextInt(40)).map(v -> Math.floor(v * 10)).toArray();
            int count = 1 + random.nextInt(12);
            int[] sorted = IntStream.range(0, values.length).boxed().sorted((a, b) -> Double.compare(values[a], values[b]))
                    .mapToInt(Integer::intValue).limit(count).toArray();
            int[] got = SpectralClustering.nearest(values, -1, count);
            assertArrayEquals(Arrays.stream(sorted).mapToDouble(i -> values[i]).toArray(),
                    Arrays.stream(got).mapToDouble(i -> values[i]).toArray(), Arrays.toString(values));
        }
    }

    @Test
    void nearestLeavesOutThePointItself() {
        assertArrayEquals(new int[] {2, 0}, SpectralClustering.nearest(new double[] {2, 0, 1, 5}, 1, 2));
        assertArrayEquals(new int[] {1, 2}, SpectralClustering.nearest(new double[] {2, 0, 1, 5}, -1, 2));
    }
}
