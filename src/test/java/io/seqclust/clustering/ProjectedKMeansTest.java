package io.seqclust.clustering;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectedKMeansTest {

    /** The principal axes of a large window are fitted on a sample: distinct rows, in the window's order. */
    @Test
    void aLargeWindowIsSampledForTheAxes() {
        assertArrayEquals(IntStream.range(0, 50).toArray(), ProjectedKMeans.sampleIndices(50, 50, new Random(1)));
        int[] drawn = ProjectedKMeans.sampleIndices(50, 20, new Random(1));
        assertEquals(20, Arrays.stream(drawn).distinct().count());
        assertArrayEquals(Arrays.stream(drawn).sorted().toArray(), drawn);
        assertTrue(drawn[19] - drawn[0] > 20, "spread over the window, not its head: " + Arrays.toString(drawn));
    }

    /**
     * Trained on more rows than the sample, the clusters are still found, and a batch's probabilities are each row's
     * own, to the bit.
     */
    @Test
    void clustersAWindowLargerThanTheSampleAndServesBatchesAsSingleRows() {
        Random random = new Random(4);
        int n = ProjectedKMeans.PCA_ROWS + 500;
        double[][] features = new double[n][30];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3;
            for (int f = 0; f < 30; f++) {
                features[i][f] = (f % 3 == truth[i] ? 4 : 0) + random.nextGaussian();
            }
        }
        ProjectedKMeans.Result fit = ProjectedKMeans.fit(features, 0.9, 10, 3, 3, random);
        assertEquals(1.0, io.seqclust.evaluation.ClusteringScores.of(truth, fit.labels()).acc(), 1e-12);
        double[][] batch = Arrays.copyOf(features, 7);
        double[][] together = fit.model().probabilities(batch);
        for (int i = 0; i < batch.length; i++) {
            assertArrayEquals(fit.model().probabilities(batch[i]), together[i], 0);
        }
    }

    /**
     * The window's features are never held together: a row the axes are fitted on is computed once, every other
     * row once per pass (means, deviations, projection); the clusters are those of the same rows held at once.
     */
    @Test
    void computesRowsAgainRatherThanHoldingThemAll() {
        int n = ProjectedKMeans.PCA_ROWS + 300;
        Random random = new Random(6);
        double[][] features = new double[n][12];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 12; f++) {
                features[i][f] = (f % 2 == i % 2 ? 3 : 0) + random.nextGaussian();
            }
        }
        java.util.concurrent.atomic.AtomicIntegerArray calls = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        ProjectedKMeans.Result streamed = ProjectedKMeans.fit(n, i -> {
            calls.incrementAndGet(i);
            return features[i].clone();
        }, 0.9, 10, 2, 3, new Random(7));
        int[] sample = ProjectedKMeans.sampleIndices(n, ProjectedKMeans.PCA_ROWS, new Random(7));
        java.util.Set<Integer> sampled = Arrays.stream(sample).boxed().collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i < n; i++) {
            assertEquals(sampled.contains(i) ? 1 : 3, calls.get(i), "row " + i);
        }
        ProjectedKMeans.Result held = ProjectedKMeans.fit(features, 0.9, 10, 2, 3, new Random(7));
        assertArrayEquals(held.labels(), streamed.labels());
        assertEquals(held.inertia(), streamed.inertia(), 0);
    }
}
