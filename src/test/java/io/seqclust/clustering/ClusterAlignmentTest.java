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
    void anAlignedAverageRenamesEachMembersClustersBeforeAveraging() {
        double[] sum = new double[3];
        // two members that agree up to names: the second calls cluster 0 what the first calls 2
        ClusterAlignment.addAligned(sum, new double[] {0.7, 0.2, 0.1}, new int[] {0, 1, 2}, 0.5);
        ClusterAlignment.addAligned(sum, new double[] {0.1, 0.2, 0.7}, new int[] {2, 1, 0}, 0.5);
        assertArrayEquals(new double[] {0.7, 0.2, 0.1}, sum, 1e-12);
    }
}
