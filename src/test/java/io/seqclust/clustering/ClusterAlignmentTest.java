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
}
