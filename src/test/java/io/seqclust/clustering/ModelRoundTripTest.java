package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every registered model, trained briefly on sequences of one and of two channels and of different lengths (minirocket's
 * transform differs between the two): its checkpoint
 * restores (through the codec, with the payload read to its end) to identical probabilities, which sum to 1,
 * also for a sequence longer than any it was trained on; and a batch of them, in one pass (as the topology's
 * micro-batches run), the same as each on its own.
 */
class ModelRoundTripTest {

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void aCheckpointRestoresToIdenticalProbabilities(ModelKind kind) {
        for (int dims = 1; dims <= 2; dims++) {
            restoresToIdenticalProbabilities(kind, dims);
        }
    }

    private static void restoresToIdenticalProbabilities(ModelKind kind, int dims) {
        Random r = new Random(3);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double[][] x = new double[10 + r.nextInt(25)][dims];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = Math.sin(t * (1 + i % 3)) + 0.1 * r.nextGaussian();
                if (dims == 2) {
                    x[t][1] = i % 3 + 0.1 * r.nextGaussian();
                }
            }
            window.add(x);
        }
        Record settings = ModelSettings.bind(kind.spec().defaults(), key -> switch (key) {
            case "epochs", "restarts" -> 1;
            case "kernels" -> 50;
            default -> null;
        });
        Assigner trained = kind.spec().create(settings, 3).fit(window, 5, TrainingProgress.NONE).assigner();
        Checkpoint c = new Checkpoint(kind.id(), 1, 1, ModelSettings.json(settings), 3, dims, window.size(),
                ClusterAlignment.identity(3), trained.payload());
        LoadedModel restored = LoadedModel.restore(Checkpoint.fromBytes(c.toBytes()));
        double[][] longer = new double[60][dims];
        List<double[][]> probes = new ArrayList<>(window.subList(0, 10));
        probes.add(longer);
        for (double[][] x : probes) {
            double[] p = trained.probabilities(x);
            assertArrayEquals(p, restored.assign(x).probabilities(), 0.0, kind.id());
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-9, kind.id());
        }
        List<LoadedModel.Result> batched = restored.assignAll(probes);
        for (int i = 0; i < probes.size(); i++) {
            assertArrayEquals(restored.assign(probes.get(i)).probabilities(), batched.get(i).probabilities(), 1e-6,
                    kind.id() + ": a micro-batch gives each sequence its own probabilities, probe " + i);
        }
    }
}
