package io.seqclust.drift;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.Rocket;
import io.seqclust.demo.DemoStream;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftTest {

    @Test
    void jensenShannonIsZeroForEqualMixesOneForDisjointOnesAndSymmetric() {
        assertEquals(0, Drift.jensenShannon(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}), 1e-12);
        assertEquals(1, Drift.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), 1e-12);
        double a = Drift.jensenShannon(new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.25, 0.25, 0.5, 0});
        assertEquals(a, Drift.jensenShannon(new double[] {0.25, 0.25, 0.5, 0}, new double[] {0.25, 0.25, 0.25, 0.25}), 1e-12);
        // m = (.25, .25, .375, .125): (KL(p||m) + KL(q||m)) / 2 by hand
        double byHand = (0.25 * log2(0.25 / 0.375) + 0.25 * log2(0.25 / 0.125) + 0.5 * log2(0.5 / 0.375)) / 2;
        assertEquals(byHand, a, 1e-12);
    }

    @Test
    void theStatisticsOfASequenceAreItsChannelsMeanSpreadSmoothnessAndLogLength() {
        double[][] x = {{1, 0}, {3, 0}, {1, 0}, {3, 0}};
        double[] f = Drift.features(x);
        assertEquals(7, f.length);
        assertEquals(2, f[0], 1e-12);
        assertEquals(1, f[2], 1e-12, "sd of channel 0");
        assertEquals(-0.75, f[4], 1e-12, "alternating: lag-1 sum of products −3 over 4 × variance 1");
        assertEquals(0, f[5], 0, "a constant channel has no autocorrelation");
        assertEquals(Math.log(4), f[6], 1e-12);
    }

    /**
     * The default model on the demo stream: more of the same stream scores low; the same stream with one
     * shape gone and another come scores above the default threshold (0.1).
     */
    @Test
    void aChangeOfShapesScoresAboveTheThresholdAndMoreOfTheSameBelowIt() {
        DemoStream before = new DemoStream(3, 2, new int[] {0, 1, 2, 3}, 20, 60, 0.2);
        List<double[][]> window = take(before, 1000);
        Assigner model = new Rocket(Rocket.Settings.DEFAULTS, 4).fit(window, 1, TrainingProgress.NONE).assigner();
        Checkpoint.Reference reference = Drift.profile(window, model::probabilities, 4);
        Drift.Score same = Drift.compare(reference, Drift.profile(take(before, 500), model::probabilities, 4));
        Drift.Score changed = Drift.compare(reference, Drift.profile(take(new DemoStream(4, 2, new int[] {0, 1, 2, 4}, 20, 60, 0.2), 500),
                model::probabilities, 4));
        Drift.Score twoNew = Drift.compare(reference, Drift.profile(take(new DemoStream(5, 2, new int[] {0, 1, 4, 5}, 20, 60, 0.2), 500),
                model::probabilities, 4));
        System.out.printf("drift: same %s%n       decay -> fast-sine %s%n       square, decay -> fast-sine, triangle %s%n", same, changed, twoNew);
        assertTrue(same.score() < 0.1, same.toString());
        assertTrue(changed.score() > 0.1, changed.toString());
        assertTrue(twoNew.score() > 0.1, twoNew.toString());
    }

    private static List<double[][]> take(DemoStream stream, int n) {
        List<double[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(stream.next().values());
        }
        return out;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
