package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.EncoderEngine;
import io.seqclust.model.SequenceDecoder;
import io.seqclust.model.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
                Rddc.Normalization.channel, SequenceDecoder.Feed.TEACHER_FORCING, 0, EncoderEngine.Kind.java);
    }

    @ParameterizedTest
    @EnumSource(SequenceDecoder.Feed.class)
    void findsClustersThatOnlyTheShapeOverTimeSeparates(SequenceDecoder.Feed feed) {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(300, new Random(1), labels);
        // the official code's variant reads noisy input; teacher forcing is tried clean
        double noise = feed == SequenceDecoder.Feed.FREE_RUNNING ? 0.1 : 0;
        Dtcr.Outcome outcome = new Dtcr(small(20).withDecoder(feed, noise)).fit(data, 7, TrainingProgress.NONE);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores dtcr = ClusteringScores.of(truth, outcome.labels());
        int[] served = data.stream().mapToInt(x -> Softmax.argmax(outcome.assigner().probabilities(x))).toArray();
        System.out.printf("dtcr, %s decoder: %s (served: %s)%n", feed, dtcr, ClusteringScores.of(truth, served));
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
                0.1, 1e-3, 1, 64, 5.0, 1, Rddc.Normalization.channel, SequenceDecoder.Feed.TEACHER_FORCING, 0, EncoderEngine.Kind.java)));
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(small(1).withDecoder(SequenceDecoder.Feed.FREE_RUNNING, 0)
                .withEngine(EncoderEngine.Kind.nd4j)), "free-running runs on the java engine only");
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(small(1).withDecoder(SequenceDecoder.Feed.FREE_RUNNING, -0.1)));
    }
}
