package io.seqclust.clustering;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ClusterAlignmentTest {

    @Test
    void recoversTheRelabellingOfARetrainedModel() {
        int[] previous = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        // the new model found the same groups under other names, and moved one sequence
        int[] fresh = {2, 2, 2, 0, 0, 1, 1, 1, 0};
        assertArrayEquals(new int[] {1, 2, 0}, ClusterAlignment.permutation(previous, fresh, 3));
    }

    @Test
    void whenKRisesTheNewClusterTakesAFreshIdAndTheOthersKeepTheirs() {
        // served ids 0, 1, 2; the new model splits the served cluster 2 into its own clusters 0 (the larger part) and 3
        int[] served = {0, 0, 1, 1, 2, 2, 2, 2, 2};
        int[] fresh = {1, 1, 2, 2, 0, 0, 0, 3, 3};
        assertArrayEquals(new int[] {2, 0, 1, 3}, ClusterAlignment.stableIds(served, fresh, 4, new int[] {0, 1, 2}, 3));
    }

    @Test
    void whenKFallsTheLeftOverServedIdIsRetiredAndNoIdMovesDown() {
        // served ids 0, 3, 5 (after earlier changes); the new model merges the served 3 and 5
        int[] served = {0, 0, 3, 3, 5, 5, 5};
        int[] fresh = {1, 1, 0, 0, 0, 0, 0};
        assertArrayEquals(new int[] {5, 0}, ClusterAlignment.stableIds(served, fresh, 2, new int[] {0, 3, 5}, 6));
        // the same k and ids 0..k-1: what the permutation gives
        int[] previous = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] again = {2, 2, 2, 0, 0, 1, 1, 1, 0};
        assertArrayEquals(ClusterAlignment.permutation(previous, again, 3),
                ClusterAlignment.stableIds(previous, again, 3, new int[] {0, 1, 2}, 3));
    }

    @Test
    void anAlignedAverageRenamesEachMembersClustersBeforeAveraging() {
        double[] sum = new double[3];
        // two members that agree up to names: the second calls cluster 0 what the first calls 2
        ClusterAlignment.addAligned(sum, new double[] {0.7, 0.2, 0.1}, new int[] {0, 1, 2}, 0.5);
        ClusterAlignment.addAligned(sum, new double[] {0.1, 0.2, 0.7}, new int[] {2, 1, 0}, 0.5);
        assertArrayEquals(new double[] {0.7, 0.2, 0.1}, sum, 1e-12);
    }
}
