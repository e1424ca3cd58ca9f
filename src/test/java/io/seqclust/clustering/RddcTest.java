package io.seqclust.clustering;

import io.seqclust.demo.DemoStream;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.Softmax;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RddcTest {

    /**
     * Three shapes at the same level and of overlapping lengths: only the form over time tells them apart,
     * so the time-averaging baseline cannot, and the recurrent encoder must.
     */
    static List<double[][]> shapes(int n, Random r, List<Integer> labels) {
        List<double[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            int len = 20 + r.nextInt(21);
            double[][] x = new double[len][1];
            double phase = 0.1 * r.nextDouble();
            for (int t = 0; t < len; t++) {
                double u = (double) t / (len - 1) + phase;
                double v = switch (label) {
                    case 0 -> Math.sin(2 * Math.PI * u);
                    case 1 -> -Math.sin(2 * Math.PI * u);
                    default -> Math.cos(4 * Math.PI * u);
                };
                x[t][0] = v + 0.1 * r.nextGaussian();
            }
            out.add(x);
            labels.add(label);
        }
        return out;
    }

    @Test
    void findsClustersThatOnlyTheShapeOverTimeSeparates() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(300, new Random(1), labels);
        Rddc.Settings settings = Rddc.Settings.defaults(3).withEpochs(30).withRestarts(2);
        Rddc.Outcome outcome = new Rddc(settings).fit(data, 7, TrainingProgress.NONE);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores rddc = ClusteringScores.of(truth, outcome.labels());
        Assigner kmeans = new KMeansAvg(3, 10, 100).train(data, 1, TrainingProgress.NONE);
        int[] baseline = data.stream().mapToInt(x -> Softmax.argmax(kmeans.probabilities(x))).toArray();
        System.out.printf("rddc %s; kmeans-avg %s%n", rddc, ClusteringScores.of(truth, baseline));
        assertTrue(rddc.acc() >= 0.9, rddc.toString());
    }

    @Test
    void aCheckpointRoundTripGivesIdenticalAssignments() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(60, new Random(2), labels);
        for (RunSelection rule : RunSelection.values()) {
            Assigner trained = new Rddc(Rddc.Settings.defaults(3).withEpochs(2).withRestarts(3).withSelection(rule))
                    .train(data, 3, TrainingProgress.NONE);
            LoadedModel restored = Models.load(new Checkpoint(Rddc.NAME, 1, 1, 3, 1, data.size(),
                    ClusterAlignment.identity(3), trained.payload()));
            for (double[][] x : data) {
                assertArrayEquals(trained.probabilities(x), restored.assign(x).probabilities(), 0.0, rule.name());
            }
        }
    }

    @Test
    void seriesNormalisationIgnoresOffsetAndScale() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(40, new Random(3), labels);
        Assigner trained = new Rddc(Rddc.Settings.defaults(3).withEpochs(1).withRestarts(1)
                .withNormalization(Rddc.Normalization.series)).train(data, 1, TrainingProgress.NONE);
        double[][] x = data.get(0);
        double[][] shifted = new double[x.length][1];
        for (int t = 0; t < x.length; t++) {
            shifted[t][0] = 5 + 3 * x[t][0];
        }
        assertArrayEquals(trained.probabilities(x), trained.probabilities(shifted), 1e-9);
    }

    @Test
    void voteAlignsRunsBeforeCounting() {
        // three runs that agree up to relabelling, one that does not: the vote follows the three
        List<RunSelection.Run> runs = List.of(
                new RunSelection.Run(1.0, new int[] {0, 0, 1, 1, 2, 2}),
                new RunSelection.Run(1.1, new int[] {2, 2, 0, 0, 1, 1}),
                new RunSelection.Run(1.2, new int[] {1, 1, 2, 2, 0, 0}),
                new RunSelection.Run(5.0, new int[] {0, 1, 2, 0, 1, 2}));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, RunSelection.vote.labels(runs, 3));
        assertEquals(0, RunSelection.loss.choose(runs));
        assertTrue(RunSelection.consensus.choose(runs) < 3, "the odd run out is never the consensus");
    }
}
