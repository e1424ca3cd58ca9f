package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnsembleTest {

    private static final int[] TRUTH = {0, 0, 0, 1, 1, 1, 2, 2, 2};

    /** Two members agree (under other names), one is off: both consensus rules follow the two. */
    @Test
    void theConsensusFollowsTheMembersThatAgree() {
        List<int[]> partitions = List.of(
                new int[] {2, 2, 2, 0, 0, 0, 1, 1, 1},
                new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
                new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2});
        int[] coAssociation = Ensemble.coAssociation(partitions, 3, 10, new Random(1));
        assertEquals(1.0, ClusteringScores.of(TRUTH, coAssociation).acc(), 1e-12);
        int medoid = Ensemble.medoid(partitions);
        assertEquals(1.0, ClusteringScores.of(TRUTH, partitions.get(medoid)).acc(), 1e-12);
    }

    @Test
    void membersMustBeRegisteredModelsOtherThanAnEnsemble() {
        Ensemble.Settings d = Ensemble.Settings.DEFAULTS;
        assertThrows(IllegalArgumentException.class,
                () -> new Ensemble(new Ensemble.Settings(new String[] {"kmeans", "no-such"}, d.consensus(), d.restarts()), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new Ensemble(new Ensemble.Settings(new String[] {"kmeans", "ensemble"}, d.consensus(), d.restarts()), 3));
    }
}
