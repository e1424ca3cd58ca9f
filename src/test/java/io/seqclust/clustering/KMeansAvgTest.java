package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.demo.DemoStream;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansAvgTest {

    private final List<double[][]> window = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    /** Four classes at their own levels on two channels, of random lengths: what time averaging can see. */
    KMeansAvgTest() {
        DemoStream demo = new DemoStream(4, 2, 4, 30, 120, 0.2);
        for (int i = 0; i < 600; i++) {
            DemoStream.Sample s = demo.next();
            double[][] x = s.values();
            for (double[] row : x) {
                row[0] += 3 * Math.cos(Math.PI / 2 * s.label());
                row[1] += 3 * Math.sin(Math.PI / 2 * s.label());
            }
            window.add(x);
            labels.add(s.label());
        }
    }

    /** The classes differ in level, so time averaging alone should find them (labels only score). */
    @Test
    void clustersTheDemoShapes() {
        Assigner model = kmeans(10, 100).fit(window, 1, TrainingProgress.NONE).assigner();
        int[] predicted = window.stream().mapToInt(v -> Activations.argmax(model.probabilities(v))).toArray();
        ClusteringScores scores = ClusteringScores.of(labels.stream().mapToInt(Integer::intValue).toArray(), predicted);
        assertTrue(scores.acc() >= 0.9, scores.toString());
    }

    @Test
    void aCheckpointRoundTripGivesIdenticalAssignments() {
        Assigner model = kmeans(3, 100).fit(window, 2, TrainingProgress.NONE).assigner();
        Checkpoint c = new Checkpoint(KMeansAvg.ID, 7, 123, "{}", 4, 2, window.size(), new int[] {2, 0, 3, 1}, model.payload());
        LoadedModel original = new LoadedModel(c, model);
        LoadedModel restored = LoadedModel.restore(Checkpoint.fromBytes(c.toBytes()));
        assertEquals(7, restored.version());
        assertEquals(123, restored.checkpoint().createdAt());
        for (double[][] v : window) {
            LoadedModel.Result a = original.assign(v);
            LoadedModel.Result b = restored.assign(v);
            assertEquals(a.cluster(), b.cluster());
            assertArrayEquals(a.probabilities(), b.probabilities(), 0.0);
        }
    }

    @Test
    void thePermutationRenamesClusters() {
        Assigner model = kmeans(3, 100).fit(window, 2, TrainingProgress.NONE).assigner();
        int own = Activations.argmax(model.probabilities(window.get(0)));
        int[] perm = {3, 2, 1, 0};
        LoadedModel permuted = new LoadedModel(new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 1, perm, model.payload()), model);
        assertEquals(perm[own], permuted.assign(window.get(0)).cluster());
    }

    /** After k fell, an id may be retired: probabilities are indexed by id, the retired one at 0. */
    @Test
    void idsWithAGapIndexTheProbabilitiesByIdAndTooHighOnesAreRefused() {
        Assigner model = kmeans(3, 100).fit(window, 2, TrainingProgress.NONE).assigner();
        int[] ids = {0, 2, 5, 1};
        LoadedModel gapped = LoadedModel.restore(new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 1, ids, model.payload()));
        LoadedModel.Result r = gapped.assign(window.get(0));
        assertEquals(6, r.probabilities().length);
        assertEquals(0, r.probabilities()[3]);
        assertEquals(0, r.probabilities()[4]);
        assertEquals(ids[Activations.argmax(model.probabilities(window.get(0)))], r.cluster());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadedModel.restore(new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4,
                2, 1, new int[] {0, 1, 2, 4 + LoadedModel.RETIRED_IDS}, model.payload()))).getMessage().contains("distinct ids in 0..67"));
    }

    @Test
    void loadRejectsCheckpointsThatMustNotServe() {
        byte[] payload = kmeans(1, 10).fit(window, 3, TrainingProgress.NONE).assigner().payload();
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.restore(
                new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 1, new int[] {0, 0, 1, 2}, payload)));
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.restore(
                new Checkpoint("no-such-model", 1, 1, "{}", 4, 2, 1, new int[] {0, 1, 2, 3}, payload)));
        assertThrows(IllegalArgumentException.class, () -> LoadedModel.restore(
                new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 3, 1, new int[] {0, 1, 2, 3}, payload)));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadedModel.restore(
                new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 1, new int[] {0, 1, 2, 3}, longer))).getMessage().contains("unread"));
    }

    @Test
    void refusesAWindowSmallerThanK() {
        assertThrows(IllegalArgumentException.class, () -> kmeans(1, 10).fit(window.subList(0, 3), 1, TrainingProgress.NONE));
    }

    private static KMeansAvg kmeans(int restarts, int maxIterations) {
        return new KMeansAvg(new KMeansAvg.Settings(restarts, maxIterations), 4);
    }
}
