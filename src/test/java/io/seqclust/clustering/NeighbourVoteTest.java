package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourVoteTest {

    /** Two separated groups: a point in either takes its group's cluster; one far from both still gets a distribution. */
    @Test
    void aPointTakesItsNeighboursCluster() {
        Random random = new Random(1);
        double[][] references = new double[40][];
        for (int i = 0; i < references.length; i++) {
            references[i] = new double[] {(i < 20 ? 0 : 10) + random.nextGaussian() * 0.5, random.nextGaussian() * 0.5};
        }
        NeighbourVote vote = NeighbourVote.of(NeighbourVote.Graph.of(references, 10), 2, 3, new Random(2));
        int left = vote.labels()[0];
        for (int i = 0; i < 40; i++) {
            assertEquals(i < 20 ? left : 1 - left, vote.labels()[i]);
        }
        assertTrue(vote.probabilities(new double[] {0.1, 0})[left] > 0.99);
        assertTrue(vote.probabilities(new double[] {9.9, 0})[1 - left] > 0.99);
        double[] far = vote.probabilities(new double[] {1e150, -1e150});
        assertEquals(1, far[0] + far[1], 1e-12);
        assertTrue(Arrays.stream(far).allMatch(p -> Double.isFinite(p) && p > 0));
    }

    /** The neighbours asked for, but at most the references per cluster, and one at least. */
    @Test
    void neighboursReachAtMostAClustersWorthOfReferences() {
        assertEquals(10, NeighbourVote.neighbours(10, 1000, 2));
        assertEquals(10, NeighbourVote.neighbours(10, 20, 2));
        assertEquals(4, NeighbourVote.neighbours(10, 16, 4));
        assertEquals(6, NeighbourVote.neighbours(10, 30, 5));
        assertEquals(1, NeighbourVote.neighbours(10, 3, 4));
    }

    @Test
    void roundTripsAndRefusesInconsistentPayloads() {
        NeighbourVote vote = new NeighbourVote(new double[][] {{0, 1}, {2, 3}}, new int[] {0, 1}, new double[] {1, 2}, 5, 2);
        PayloadWriter out = new PayloadWriter();
        vote.write(out);
        PayloadReader in = new PayloadReader(out.toBytes());
        NeighbourVote read = NeighbourVote.read(in, 2, 2);
        in.end();
        assertArrayEquals(vote.probabilities(new double[] {1, 1}), read.probabilities(new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> NeighbourVote.read(new PayloadReader(out.toBytes()), 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new NeighbourVote(new double[][] {{0}}, new int[] {2},
                new double[] {1}, 5, 2));
        assertThrows(IllegalArgumentException.class, () -> new NeighbourVote(new double[][] {{0}}, new int[] {0},
                new double[] {0}, 5, 2));
    }
}
