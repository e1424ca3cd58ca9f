package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import org.junit.jupiter.api.Test;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.demo.DemoStream;
import io.seqclust.model.train.TrainingProgress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    /** Agreement is the partitions' mean pairwise NMI: 1 for renamings of one partition, and lower with one that is off. */
    @Test
    void agreementIsTheMeanPairwiseNmi() {
        int[] renamed = {2, 2, 2, 0, 0, 0, 1, 1, 1};
        int[] off = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        assertEquals(1.0, Ensemble.agreement(List.of(TRUTH, renamed, TRUTH.clone())), 1e-12);
        assertEquals(1.0, Ensemble.agreement(List.of(TRUTH)), 0);
        double expected = (1 + ClusteringScores.of(TRUTH, off).nmi() + ClusteringScores.of(renamed, off).nmi()) / 3;
        assertEquals(expected, Ensemble.agreement(List.of(TRUTH, renamed, off)), 1e-12);
    }

    @Test
    void membersMustBeRegisteredModelsOtherThanAnEnsemble() {
        Ensemble.Settings d = Ensemble.Settings.DEFAULTS;
        assertThrows(IllegalArgumentException.class,
                () -> new Ensemble(new Ensemble.Settings(new String[] {"kmeans", "no-such"}, d.consensus(), d.restarts(), d.serve()), 3));
        assertThrows(IllegalArgumentException.class,
                () -> new Ensemble(new Ensemble.Settings(new String[] {"kmeans", "ensemble"}, d.consensus(), d.restarts(), d.serve()), 3));
    }

    /** A member may carry settings of its own; a wrong key, a malformed pair or a value out of range names the member. */
    @Test
    void membersTakeSettingsOfTheirOwn() {
        Ensemble.Member member = Ensemble.Member.parse("minirocket:clustering=kmeans:neighbours=5");
        assertEquals(MiniRocket.ID, member.kind().id());
        MiniRocket.Settings settings = (MiniRocket.Settings) member.settings();
        assertEquals(ProjectedClustering.Method.KMEANS, settings.clustering());
        assertEquals(5, settings.neighbours());
        assertEquals(MiniRocket.Settings.DEFAULTS.features(), settings.features());
        assertSame(KShape.Settings.DEFAULTS, Ensemble.Member.parse("kshape").settings());
        for (String bad : new String[] {"minirocket:no-such=1", "minirocket:clustering", "minirocket:neighbours=0",
                "minirocket:clustering=sideways"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ensemble.Member.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    /**
     * With {@code serve=chosen} the medoid member alone assigns: the same probabilities as that member trained on its
     * own with the seed the ensemble gave it; with {@code serve=all} every member votes, so they differ.
     */
    @Test
    void theChosenMemberAloneServes() {
        List<double[][]> window = new ArrayList<>();
        DemoStream demo = new DemoStream(4, 2, 4, 30, 60, 0.2);
        for (int i = 0; i < 120; i++) {
            double[][] x = demo.next().values();
            window.add(x);
        }
        String[] members = {"kmeans-avg", "kmeans-avg:restarts=1:max-iterations=2", "kmeans"};
        Ensemble.Settings d = Ensemble.Settings.DEFAULTS;
        Fit chosen = new Ensemble(new Ensemble.Settings(members, Ensemble.Consensus.MEDOID, d.restarts(), Ensemble.Serve.CHOSEN), 4)
                .fit(window, 7, TrainingProgress.NONE);
        Fit all = new Ensemble(new Ensemble.Settings(members, Ensemble.Consensus.MEDOID, d.restarts(), Ensemble.Serve.ALL), 4)
                .fit(window, 7, TrainingProgress.NONE);
        int m = Ensemble.medoid(chosen.candidates().stream().map(Fit.Candidate::labels).toList());
        Assigner alone = Ensemble.Member.parse(members[m]).create(4).fit(window, 7 * 31 + m, TrainingProgress.NONE).assigner();
        assertArrayEquals(chosen.labels(), all.labels());
        boolean differs = false;
        for (double[][] x : window) {
            assertArrayEquals(alone.probabilities(x), chosen.assigner().probabilities(x), 1e-12);
            differs |= !Arrays.equals(alone.probabilities(x), all.assigner().probabilities(x));
        }
        assertTrue(differs, "every member's vote should not equal the chosen member's own probabilities");
        Assigner read = Ensemble.read(new PayloadReader(chosen.assigner().payload()));
        assertArrayEquals(chosen.assigner().probabilities(window.get(0)), read.probabilities(window.get(0)), 1e-12);
    }
}
