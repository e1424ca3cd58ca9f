package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtcrTest {

    /** A small DTCR, so that the test trains in seconds. */
    private static Dtcr.Settings small(int epochs, ReconstructionDecoder.Feed feed, double noise, EngineKind engine) {
        return new Dtcr.Settings(new int[] {16, 8, 8}, new int[] {1, 2, 4}, 0.1, 3e-3, epochs, 0, 0, 0, 64, 5.0, 10,
                Normalizer.Normalization.CHANNEL, feed, noise, engine);
    }

    private static Dtcr.Settings small(int epochs) {
        return small(epochs, ReconstructionDecoder.Feed.TEACHER_FORCING, 0, EngineKind.JAVA);
    }

    @ParameterizedTest
    @EnumSource(ReconstructionDecoder.Feed.class)
    void findsClustersThatOnlyTheShapeOverTimeSeparates(ReconstructionDecoder.Feed feed) {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(300, new Random(1), labels);
        // the official code's variant reads noisy input; teacher forcing is tried clean
        double noise = feed == ReconstructionDecoder.Feed.FREE_RUNNING ? 0.1 : 0;
        Fit fit = new Dtcr(small(20, feed, noise, EngineKind.JAVA), 3).fit(data, 7, TrainingProgress.NONE);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores dtcr = ClusteringScores.of(truth, fit.labels());
        int[] served = data.stream().mapToInt(x -> Activations.argmax(fit.assigner().probabilities(x))).toArray();
        System.out.printf("dtcr, %s decoder: %s (served: %s)%n", feed, dtcr, ClusteringScores.of(truth, served));
        assertTrue(dtcr.acc() >= 0.9, dtcr.toString());
        assertArrayEquals(fit.labels(), served, "serving assigns the nearest centroid, as k-means did");
    }

    @Test
    void aCheckpointRoundTripGivesIdenticalAssignments() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(60, new Random(2), labels);
        Assigner trained = new Dtcr(small(1), 3).fit(data, 3, TrainingProgress.NONE).assigner();
        Checkpoint c = new Checkpoint(Dtcr.ID, 1, 1, "{}", 3, 1, data.size(), ClusterAlignment.identity(3), trained.payload());
        LoadedModel restored = LoadedModel.restore(Checkpoint.fromBytes(c.toBytes()));
        for (double[][] x : data) {
            double[] p = trained.probabilities(x);
            assertArrayEquals(p, restored.assign(x).probabilities(), 0.0);
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        }
    }

    /** Serving keeps the encoder and the centroids: the decoder and the classifier stay out of the checkpoint. */
    @Test
    void theCheckpointHoldsWhatServingNeedsOnly() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(60, new Random(2), labels);
        byte[] payload = new Dtcr(small(1), 3).fit(data, 3, TrainingProgress.NONE).assigner().payload();
        // encoder: per direction 3H(in + H) + 6H values over layers (16, 8, 8) reading 1, 32, 16 inputs; centroids 3 × 64
        long encoder = 2L * (3 * 16 * (1 + 16) + 6 * 16) + 2L * (3 * 8 * (32 + 8) + 6 * 8) + 2L * (3 * 8 * (16 + 8) + 6 * 8);
        long values = encoder + 3 * 2 * (16 + 8 + 8) + 2; // + centroids + channel statistics
        assertTrue(payload.length < values * Double.BYTES + 400, payload.length + " bytes for " + values + " values");
    }

    @Test
    void rejectsSettingsThatCannotTrain() {
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(new Dtcr.Settings(new int[] {8, 8}, new int[] {1}, 0.1, 1e-3, 1, 0, 0, 0,
                64, 5.0, 1, Normalizer.Normalization.CHANNEL, ReconstructionDecoder.Feed.TEACHER_FORCING, 0, EngineKind.JAVA), 3));
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(small(1, ReconstructionDecoder.Feed.FREE_RUNNING, 0,
                EngineKind.ND4J), 3), "free-running runs on the java engine only");
        assertThrows(IllegalArgumentException.class, () -> new Dtcr(small(1), 64), "a batch of k or fewer");
    }
}
