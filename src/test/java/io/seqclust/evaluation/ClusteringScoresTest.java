package io.seqclust.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusteringScoresTest {

    @Test
    void aRelabelledPerfectClusteringScoresOne() {
        ClusteringScores s = ClusteringScores.of(new int[] {0, 0, 1, 1, 2, 2}, new int[] {5, 5, 3, 3, 9, 9});
        assertEquals(1.0, s.acc(), 1e-12);
        assertEquals(1.0, s.nmi(), 1e-12);
        assertEquals(1.0, s.randIndex(), 1e-12);
    }

    /** Reference values computed independently (pairwise counting; NMI with arithmetic-mean normalisation). */
    @Test
    void matchesIndependentlyComputedValues() {
        ClusteringScores s = ClusteringScores.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 0, 1, 2, 2, 2, 1});
        assertEquals(5.0 / 7, s.acc(), 1e-12);
        assertEquals(0.5636355530993448, s.nmi(), 1e-12);
        assertEquals(0.7142857142857143, s.randIndex(), 1e-12);
    }

    @Test
    void moreClustersThanClassesStillMatchOneToOne() {
        ClusteringScores s = ClusteringScores.of(new int[] {0, 0, 0, 1}, new int[] {0, 1, 2, 3});
        assertEquals(0.5, s.acc(), 1e-12);
    }
}
