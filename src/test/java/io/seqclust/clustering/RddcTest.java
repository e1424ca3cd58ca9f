package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.network.RddcNetwork;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingLoop;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    static Rddc.Settings settings(int epochs, int restarts, RunSelection selection, Normalizer.Normalization normalization) {
        Rddc.Settings d = Rddc.Settings.DEFAULTS;
        return new Rddc.Settings(d.hiddenUnits(), d.layers(), d.denseUnits(), epochs, 0, 0, 0, d.batchSize(), d.learningRate(),
                d.clipNorm(), restarts, selection, normalization, d.engine(), d.gruInit());
    }

    @Test
    void findsClustersThatOnlyTheShapeOverTimeSeparates() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(300, new Random(1), labels);
        Fit fit = new Rddc(settings(30, 2, RunSelection.VOTE, Normalizer.Normalization.CHANNEL), 3).fit(data, 7, TrainingProgress.NONE);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores rddc = ClusteringScores.of(truth, fit.labels());
        Fit kmeans = new KMeansAvg(KMeansAvg.Settings.DEFAULTS, 3).fit(data, 1, TrainingProgress.NONE);
        System.out.printf("rddc %s; kmeans-avg %s%n", rddc, ClusteringScores.of(truth, kmeans.labels()));
        assertTrue(rddc.acc() >= 0.9, rddc.toString());
        assertEquals(2 + RunSelection.values().length, fit.candidates().size(), "each run and each rule, for reports");
    }

    /**
     * Pretraining teaches the encoder (with its decoder) to reconstruct the sequences: the reconstruction error
     * falls well below the untrained network's; then the DDC loss trains on from that encoder, and the runs
     * still find the three shapes.
     */
    @Test
    void pretrainingTeachesTheEncoderToReconstructThenTheDdcLossClusters() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(300, new Random(4), labels);
        Random random = new Random(5);
        RddcNetwork net = new RddcNetwork(1, 3, 32, 2, 100, random, EngineKind.AUTO, Gru.Init.HE);
        RddcNetwork.Pretraining pretraining = net.pretraining(random);
        double before = pretraining.loss(data).total();
        TrainingLoop.run(pretraining, data, 4, new TrainingLoop.Schedule(1, 200, 0, 100, 1e-3, 5), random,
                new Progress.Clock(1, TrainingProgress.NONE), TrainingLoop.EarlyStopping.NEVER);
        double after = pretraining.loss(data).total();
        System.out.printf("reconstruction MSE %.4f -> %.4f after 200 steps%n", before, after);
        assertTrue(after < 0.5 * before, before + " -> " + after);

        Rddc.Settings d = settings(30, 2, RunSelection.VOTE, Normalizer.Normalization.CHANNEL);
        Rddc.Settings pretrained = new Rddc.Settings(d.hiddenUnits(), d.layers(), d.denseUnits(), d.epochs(), 0, 0, 100, d.batchSize(),
                d.learningRate(), d.clipNorm(), d.restarts(), d.selection(), d.normalization(), d.engine(), d.gruInit());
        Fit fit = new Rddc(pretrained, 3).fit(data, 7, TrainingProgress.NONE);
        ClusteringScores scores = ClusteringScores.of(labels.stream().mapToInt(Integer::intValue).toArray(), fit.labels());
        System.out.printf("rddc, 100 pretraining steps: %s%n", scores);
        assertTrue(scores.acc() >= 0.9, scores.toString());
    }

    @Test
    void aCheckpointRoundTripGivesIdenticalAssignments() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(60, new Random(2), labels);
        for (RunSelection rule : RunSelection.values()) {
            Assigner trained = new Rddc(settings(2, 3, rule, Normalizer.Normalization.CHANNEL), 3).fit(data, 3, TrainingProgress.NONE)
                    .assigner();
            Checkpoint c = new Checkpoint(Rddc.ID, 1, 1, "{}", 3, 1, data.size(), ClusterAlignment.identity(3), trained.payload());
            LoadedModel restored = LoadedModel.restore(Checkpoint.fromBytes(c.toBytes()));
            for (double[][] x : data) {
                assertArrayEquals(trained.probabilities(x), restored.assign(x).probabilities(), 0.0, rule.name());
            }
        }
    }

    @Test
    void seriesNormalisationIgnoresOffsetAndScale() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(40, new Random(3), labels);
        Assigner trained = new Rddc(settings(1, 1, RunSelection.VOTE, Normalizer.Normalization.SERIES), 3)
                .fit(data, 1, TrainingProgress.NONE).assigner();
        double[][] x = data.get(0);
        double[][] shifted = new double[x.length][1];
        for (int t = 0; t < x.length; t++) {
            shifted[t][0] = 5 + 3 * x[t][0];
        }
        assertArrayEquals(trained.probabilities(x), trained.probabilities(shifted), 1e-9);
    }

    @Test
    void refusesABatchNoLargerThanK() {
        Rddc.Settings d = Rddc.Settings.DEFAULTS;
        Rddc.Settings small = new Rddc.Settings(d.hiddenUnits(), d.layers(), d.denseUnits(), 1, 0, 0, 0, 4, d.learningRate(), d.clipNorm(),
                1, d.selection(), d.normalization(), d.engine(), d.gruInit());
        assertThrows(IllegalArgumentException.class, () -> new Rddc(small, 4));
    }

    @Test
    void voteAlignsRunsBeforeCounting() {
        // three runs that agree up to relabelling, one that does not: the vote follows the three
        List<RunSelection.Run> runs = List.of(
                new RunSelection.Run(1.0, new int[] {0, 0, 1, 1, 2, 2}),
                new RunSelection.Run(1.1, new int[] {2, 2, 0, 0, 1, 1}),
                new RunSelection.Run(1.2, new int[] {1, 1, 2, 2, 0, 0}),
                new RunSelection.Run(5.0, new int[] {0, 1, 2, 0, 1, 2}));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, RunSelection.VOTE.labels(runs, 3));
        assertEquals(0, RunSelection.LOSS.choose(runs));
        assertTrue(RunSelection.CONSENSUS.choose(runs) < 3, "the odd run out is never the consensus");
        assertEquals(List.of(0, 1), RunSelection.voters(runs));
    }

    /** The served ensemble is exactly the runs that voted: ⌈n / 2⌉ even when losses tie, and never a diverged run. */
    @Test
    void theVotersAreTheBetterHalfAndNeverADivergedRun() {
        int[] labels = {0, 1, 0, 1};
        List<RunSelection.Run> tied = List.of(new RunSelection.Run(1.0, labels), new RunSelection.Run(1.0, labels),
                new RunSelection.Run(1.0, labels), new RunSelection.Run(1.0, labels));
        assertEquals(2, RunSelection.voters(tied).size());
        List<RunSelection.Run> withNaN = List.of(new RunSelection.Run(Double.NaN, labels), new RunSelection.Run(2.0, labels),
                new RunSelection.Run(1.0, labels));
        assertEquals(List.of(2), RunSelection.voters(withNaN), "the better half of the two finite runs");
        assertEquals(2, RunSelection.LOSS.choose(withNaN));
        assertThrows(IllegalArgumentException.class, () -> RunSelection.voters(List.of(new RunSelection.Run(Double.NaN, labels))));
    }

    /** DDC's rule: the lowest cluster-separation term among the runs that did not diverge, whatever their totals. */
    @Test
    void separationChoosesTheLowestL1Term() {
        int[] labels = {0, 1, 0, 1};
        List<RunSelection.Run> runs = List.of(new RunSelection.Run(1.0, 0.5, labels), new RunSelection.Run(2.0, 0.2, labels),
                new RunSelection.Run(Double.NaN, 0.1, labels), new RunSelection.Run(1.5, 0.3, labels));
        assertEquals(1, RunSelection.SEPARATION.choose(runs));
        assertEquals(0, RunSelection.LOSS.choose(runs));
        List<RunSelection.Run> without = List.of(new RunSelection.Run(2.0, labels), new RunSelection.Run(1.0, labels));
        assertEquals(1, RunSelection.SEPARATION.choose(without), "no term: the lowest loss");
    }

    @Test
    void servedLabelsAreWhatTheFitGaveTheWindow() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shapes(60, new Random(4), labels);
        Fit fit = new Rddc(settings(2, 1, RunSelection.LOSS, Normalizer.Normalization.CHANNEL), 3).fit(data, 5, TrainingProgress.NONE);
        for (int i = 0; i < data.size(); i++) {
            assertEquals(fit.labels()[i], Activations.argmax(fit.assigner().probabilities(data.get(i))));
        }
    }
}
