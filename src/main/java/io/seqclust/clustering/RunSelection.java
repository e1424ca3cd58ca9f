package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How one result is chosen among restarts, without labels:
 * <ul>
 *   <li>{@code loss}: the run with the lowest final loss (the papers' rule);</li>
 *   <li>{@code consensus}: the run that agrees most with the others (highest mean NMI to them);</li>
 *   <li>{@code vote} (DDC-VOTE): the better half of the runs by loss, each aligned to the best one by a
 *       maximum matching of clusters, then a majority vote per sequence;</li>
 *   <li>{@code separation}: the run with the lowest cluster-separation term (DDC's L1, the clusters'
 *       Cauchy-Schwarz divergence), the rule DDC's authors use: the total also holds the terms that only
 *       push the assignments towards the simplex's corners, which a poor partition can satisfy as well.</li>
 * </ul>
 */
public enum RunSelection {
    LOSS, CONSENSUS, VOTE, SEPARATION;

    /**
     * One restart's outcome: its final loss, its cluster-separation term (NaN where the model has none), and the
     * cluster of every sequence.
     */
    public record Run(double loss, double separation, int[] labels) {

        public Run(double loss, int[] labels) {
            this(loss, Double.NaN, labels);
        }
    }

    /** The index of the chosen run; for {@code vote}, the run the others were aligned to. */
    public int choose(List<Run> runs) {
        return switch (this) {
            case LOSS, VOTE -> lowestLoss(runs);
            case CONSENSUS -> IntStream.range(0, runs.size()).boxed()
                    .max(Comparator.comparingDouble(i -> meanAgreement(runs, i))).orElseThrow();
            case SEPARATION -> IntStream.range(0, runs.size()).boxed()
                    .filter(i -> Double.isFinite(runs.get(i).loss()) && Double.isFinite(runs.get(i).separation()))
                    .min(Comparator.comparingDouble(i -> runs.get(i).separation())).orElseGet(() -> lowestLoss(runs));
        };
    }

    /** The labels this rule gives every sequence. */
    public int[] labels(List<Run> runs, int k) {
        if (this != VOTE) {
            return runs.get(choose(runs)).labels();
        }
        List<Integer> voters = voters(runs);
        int[] reference = runs.get(voters.get(0)).labels();
        int n = reference.length;
        int[][] votes = new int[n][k];
        for (int v : voters) {
            int[] labels = runs.get(v).labels();
            int[] toReference = ClusterAlignment.permutation(reference, labels, k);
            for (int i = 0; i < n; i++) {
                votes[i][toReference[labels[i]]]++;
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = reference[i]; // ties go to the best run's own choice
            for (int c = 0; c < k; c++) {
                if (votes[i][c] > votes[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The better half of the runs by loss (⌈n / 2⌉ of them, the lowest first): the runs {@code vote} counts, and serves. */
    static List<Integer> voters(List<Run> runs) {
        List<Integer> finite = IntStream.range(0, runs.size()).boxed().filter(i -> Double.isFinite(runs.get(i).loss())).toList();
        if (finite.isEmpty()) {
            throw new IllegalArgumentException("no run has a finite loss");
        }
        return finite.stream().sorted(Comparator.comparingDouble(i -> runs.get(i).loss()))
                .limit(Math.max(1, (finite.size() + 1) / 2)).toList();
    }

    static int lowestLoss(List<Run> runs) {
        return voters(runs).get(0);
    }

    static double meanAgreement(List<Run> runs, int i) {
        if (runs.size() == 1) {
            return 1;
        }
        double sum = 0;
        for (int j = 0; j < runs.size(); j++) {
            if (j != i) {
                sum += ClusteringScores.of(runs.get(i).labels(), runs.get(j).labels()).nmi();
            }
        }
        return sum / (runs.size() - 1);
    }
}
