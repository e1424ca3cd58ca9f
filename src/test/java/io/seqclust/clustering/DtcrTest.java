package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.Softmax;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtcrTest {

    /** A small DTCR, so that the test trains in seconds. */
    private static Dtcr.Settings small(int epochs) {
        return new Dtcr.Settings(3, new int[] {16, 8, 8}, new int[] {1, 2, 4}, 0.1, 3e-3, epochs, 64, 5.0, 10,
                Rddc.Normalization.channel);
    }

    @Test
    void findsClustersThatOnlyTheShapeOverTimeSeparates() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(300, new Random(1), labels);
        Dtcr.Outcome outcome = new Dtcr(small(20)).fit(data, 7, TrainingProgress.NONE);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores dtcr = ClusteringScores.of(truth, outcome.labels());
        int[] served = data.stream().mapToInt(x -> Softmax.argmax(outcome.assigner().probabilities(x))).toArray();
        System.out.printf("dtcr %s (served: %s)%n", dtcr, ClusteringScores.of(truth, served));
        assertTrue(dtcr.acc() >= 0.9, dtcr.toString());
        assertArrayEquals(outcome.labels(), served, "serving assigns the nearest centroid, as k-means did");
    }

    @Test
    void aCheckpointRoundTripGivesIdenticalAssignments() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(60, new Random(2), labels);
        Assigner trained = new Dtcr(small(1)).train(data, 3, TrainingProgress.NONE);
        LoadedModel restored = Models.load(new Checkpoint(Dtcr.NAME, 1, 1, 3, 1, data.size(),
                ClusterAlignment.identity(3), trained.payload()));
        for (double[][] x : data) {
            double[] p = trained.probabilities(x);
            assertArrayEquals(p, restored.assign(x).probabilities(), 0.0);
            assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-12);
        }
    }

    @Test
    void rejectsInconsistentLayers() {
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(new Dtcr.Settings(3, new int[] {8, 8}, new int[] {1},
                0.1, 1e-3, 1, 64, 5.0, 1, Rddc.Normalization.channel)));
    }
}
