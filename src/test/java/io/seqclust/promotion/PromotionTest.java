package io.seqclust.promotion;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.demo.DemoStream;
import io.seqclust.evaluation.ClusteringScores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromotionTest {

    private static final Promotion.Settings SETTINGS = new Promotion.Settings(0.3, 0.05);

    @Test
    void theAdjustedRandIndexIsOneForTheSamePartitionRenamedAndNearZeroForIndependentOnes() {
        assertEquals(1.0, ClusteringScores.adjustedRandIndex(new int[] {0, 0, 1, 1, 2, 2}, new int[] {2, 2, 0, 0, 1, 1}), 1e-12);
        // by hand: contingency [[2,1],[0,3]]: pairs together in both 1 + 3 = 4, in a 3 + 3 = 6, in b 1 + 6 = 7, of 15;
        // expected 6 * 7 / 15 = 2.8, maximum (6 + 7) / 2 = 6.5
        assertEquals((4 - 2.8) / (6.5 - 2.8),
                ClusteringScores.adjustedRandIndex(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 1, 1}), 1e-12);
        Random r = new Random(1);
        int[] a = r.ints(5000, 0, 4).toArray();
        int[] b = r.ints(5000, 0, 4).toArray();
        assertEquals(0, ClusteringScores.adjustedRandIndex(a, b), 0.01);
    }

    @Test
    void theSilhouetteOfSeparatedBlobsIsNearOneAndOfAShuffleNearZero() {
        Random r = new Random(2);
        double[][] points = new double[200][];
        int[] labels = new int[200];
        for (int i = 0; i < 200; i++) {
            labels[i] = i % 2;
            points[i] = new double[] {labels[i] * 20 + r.nextGaussian(), r.nextGaussian()};
        }
        assertTrue(Promotion.silhouette(points, labels) > 0.85);
        int[] shuffled = r.ints(200, 0, 2).toArray();
        assertEquals(0, Promotion.silhouette(points, shuffled), 0.05);
        assertEquals(0, Promotion.silhouette(points, new int[200]), 0, "one cluster");
    }

    @Test
    void aSequenceIsComparedAsItsShapeWhateverItsLengthLevelAndScale() {
        double[][] short_ = new double[20][1];
        double[][] long_ = new double[80][1];
        for (int t = 0; t < 20; t++) {
            short_[t][0] = Math.sin(2 * Math.PI * t / 19.0);
        }
        for (int t = 0; t < 80; t++) {
            long_[t][0] = 5 + 3 * Math.sin(2 * Math.PI * t / 79.0);
        }
        assertArrayEquals(Promotion.shape(short_), Promotion.shape(long_), 0.02);
    }

    @Test
    void anchorsSampleEveryClusterEvenlyWithinTheirBound() {
        List<double[][]> sequences = new ArrayList<>();
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 90 ? 0 : 1 + i % 2;
            sequences.add(new double[10][2]);
        }
        List<double[][]> anchors = Promotion.anchors(sequences, labels, 3, 8, Long.MAX_VALUE);
        assertEquals(8 + 5 + 5, anchors.size(), "8 of the big cluster, all 5 of each small one");
        assertEquals(6, Promotion.anchors(sequences, labels, 3, 8, 6 * 20).size(), "bounded in values, every cluster kept first");
    }

    /** The default model would be refused for a partition that ignores the shapes, and kept for one that finds them. */
    @Test
    void aDisagreeingModelIsRefusedUnlessItsSilhouetteIsClearlyBetter() {
        DemoStream demo = new DemoStream(5, 2, 4, 20, 60, 0.2);
        List<double[][]> sample = new ArrayList<>();
        int[] shapes = new int[300];
        for (int i = 0; i < 300; i++) {
            DemoStream.Sample s = demo.next();
            sample.add(s.values());
            shapes[i] = s.label();
        }
        int[] random = new Random(3).ints(300, 0, 4).toArray();
        Checkpoint.Agreement low = Promotion.agreement(3, shapes, random);
        assertTrue(low.ari() < 0.05, String.valueOf(low.ari()));
        Optional<String> refused = Promotion.refusal(low, sample, shapes, random, SETTINGS);
        assertTrue(refused.orElseThrow().startsWith("not promoted: it agrees with v3 on 300 anchors with ARI"), refused.get());
        assertEquals(Optional.empty(), Promotion.refusal(low, sample, random, shapes, SETTINGS), "clearly better: served");
        assertEquals(Optional.empty(), Promotion.refusal(Promotion.agreement(3, shapes, shapes), sample, shapes, shapes, SETTINGS));
    }
}
