package io.seqclust.clustering;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectedKMeansTest {

    /** The principal axes of a large window are fitted on a sample: distinct rows, in the window's order. */
    @Test
    void aLargeWindowIsSampledForTheAxes() {
        double[][] rows = new double[50][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i};
        }
        assertSame(rows, ProjectedKMeans.sample(rows, 50, new Random(1)));
        double[][] sample = ProjectedKMeans.sample(rows, 20, new Random(1));
        double[] drawn = Arrays.stream(sample).mapToDouble(r -> r[0]).toArray();
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
}
