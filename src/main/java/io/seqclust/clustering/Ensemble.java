package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.math.KMeans;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A consensus of several models' partitions of the window: no single method is best on every kind of data
 * (shape, level, local patterns), and a consensus follows what most of them find. Each member trains with its
 * own defaults. The window's partition is either the co-association consensus — k-means on the members'
 * one-hot memberships, which is k-means under the co-association distance (‖a_i − a_j‖² = 2m (1 − C_ij), C_ij
 * the share of members that put i and j together) — or the medoid, the member whose partition agrees most
 * with the others' (mean NMI). Serving: every member assigns, its clusters renamed to the consensus's by the
 * maximum matching of their overlap on the window, and their probabilities are averaged.
 */
public final class Ensemble implements ClusteringAlgorithm {

    public static final String ID = "ensemble";

    public enum Consensus {
        /** k-means on the members' memberships: the partition that most pairs of members agree on. */
        CO_ASSOCIATION,
        /** The member whose partition has the highest mean NMI to the other members'. */
        MEDOID,
        /**
         * The member whose partitions of random 80 % resamples of the window agree most with each other (mean NMI
         * on the sequences two resamples share): the method that finds the most stable structure in this data.
         */
        STABILITY
    }

    public record Settings(
            @Setting("the member models, each with its defaults or with settings of its own after colons (for example"
                    + " minirocket:clustering=kmeans)") @NotNull @Size(min = 2, max = 16) String[] members,
            @Setting("how the members' partitions become one: co-association, medoid or stability") @NotNull Consensus consensus,
            @Setting("k-means restarts of the co-association consensus") @Min(1) @Max(1000) int restarts,
            @Setting("what assigns new sequences: all (every member, aligned to the consensus, probabilities averaged) or"
                    + " chosen (the member that medoid or stability chose, alone; co-association has none and serves all)")
            @NotNull Serve serve) {

        /** Medoid: the best of the three rules by the suite's mean RI (README's results). */
        public static final Settings DEFAULTS = new Settings(new String[] {KMeansPadded.ID, KShape.ID, Rocket.ID},
                Consensus.MEDOID, 10, Serve.ALL);
    }

    /** What serves. */
    public enum Serve {
        ALL, CHOSEN
    }

    private static final int KMEANS_ITERATIONS = 300;

    private final Settings settings;
    private final int k;
    private final List<Member> members;

    /** A member model and its settings. */
    record Member(ModelKind kind, Record settings) {

        /**
         * {@code id}, or {@code id:key=value:key=value}: the model's defaults with those of its settings replaced,
         * validated as the service's are.
         */
        static Member parse(String spec) {
            String[] parts = spec.split(":");
            ModelKind kind = ModelKind.of(parts[0].trim());
            if (kind.id().equals(ID)) {
                throw new IllegalArgumentException("an ensemble cannot hold an ensemble");
            }
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] pair = parts[i].split("=", 2);
                if (pair.length != 2) {
                    throw new IllegalArgumentException("ensemble member " + spec + ": '" + parts[i] + "' is not key=value");
                }
                given.put(pair[0].trim(), pair[1]);
            }
            Record settings;
            try {
                settings = ModelSettings.withValues(kind, given, ModelSettings.validator(), key -> key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ensemble member " + spec + ": " + e.getMessage(), e);
            }
            return new Member(kind, settings);
        }

        ClusteringAlgorithm create(int k) {
            return kind.spec().create(settings, k);
        }
    }

    public Ensemble(Settings settings, int k) {
        this.settings = settings;
        this.k = k;
        this.members = Arrays.stream(settings.members()).map(Member::parse).toList();
        for (Member member : members) {
            member.create(k); // a member that cannot train with k clusters fails here
        }
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        Progress.Clock clock = new Progress.Clock(members.size(), progress);
        List<Assigner> assigners = new ArrayList<>();
        List<int[]> partitions = new ArrayList<>();
        List<Fit.Candidate> candidates = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            Member member = members.get(m);
            Fit fit = member.create(k).fit(window, seed * 31 + m, TrainingProgress.NONE);
            assigners.add(fit.assigner());
            partitions.add(fit.labels());
            candidates.add(new Fit.Candidate("member " + settings.members()[m], fit.loss(), fit.labels()));
            clock.epochDone(LossTerms.of(member.kind().id(), fit.loss()));
        }
        int chosen = switch (settings.consensus()) {
            case MEDOID -> medoid(partitions);
            case STABILITY -> mostStable(window, seed);
            case CO_ASSOCIATION -> -1;
        };
        int[] consensus = chosen >= 0 ? partitions.get(chosen) : coAssociation(partitions, k, settings.restarts(), new Random(seed));
        List<int[]> permutations = new ArrayList<>();
        for (int[] partition : partitions) {
            permutations.add(ClusterAlignment.permutation(consensus, partition, k));
        }
        double loss = disagreement(partitions, consensus, permutations);
        List<String> ids = members.stream().map(m -> m.kind().id()).toList();
        if (chosen >= 0 && settings.serve() == Serve.CHOSEN) {
            return new Fit(new Served(List.of(ids.get(chosen)), List.of(assigners.get(chosen)), List.of(permutations.get(chosen))),
                    consensus, loss, candidates);
        }
        return new Fit(new Served(ids, assigners, permutations), consensus, loss, candidates);
    }

    /** The member partition with the highest mean NMI to the others. */
    static int medoid(List<int[]> partitions) {
        double[] sums = agreements(partitions);
        int best = 0;
        for (int i = 1; i < sums.length; i++) {
            if (sums[i] > sums[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The partitions' mean pairwise NMI (1 for a single partition). */
    static double agreement(List<int[]> partitions) {
        return partitions.size() < 2 ? 1 : Arrays.stream(agreements(partitions)).sum() / ((double) partitions.size() * (partitions.size() - 1));
    }

    /** Per partition, the sum of its NMIs to the others. */
    private static double[] agreements(List<int[]> partitions) {
        double[] sums = new double[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            for (int j = 0; j < partitions.size(); j++) {
                if (j != i) {
                    sums[i] += ClusteringScores.of(partitions.get(i), partitions.get(j)).nmi();
                }
            }
        }
        return sums;
    }

    /** Resamples per member for {@link Consensus#STABILITY}, each holding {@link Resampling#SHARE} of the window. */
    static final int RESAMPLES = 5;

    /** The member whose resample partitions agree most (mean pairwise NMI on shared sequences); the first of equals. */
    int mostStable(List<double[][]> window, long seed) {
        int best = 0;
        double bestStability = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < members.size(); m++) {
            double s = stability(members.get(m), window, new Random(seed * 104_729 + m));
            if (s > bestStability) {
                bestStability = s;
                best = m;
            }
        }
        return best;
    }

    private double stability(Member member, List<double[][]> window, Random random) {
        return Resampling.agreement(Resampling.partitions(member.kind().spec(), member.settings(), k, window, RESAMPLES, random));
    }

    /** k-means on the one-hot memberships (m blocks of k), the lowest inertia of the restarts. */
    static int[] coAssociation(List<int[]> partitions, int k, int restarts, Random random) {
        int n = partitions.get(0).length;
        int m = partitions.size();
        double[][] points = new double[n][m * k];
        for (int p = 0; p < m; p++) {
            int[] labels = partitions.get(p);
            for (int i = 0; i < n; i++) {
                points[i][p * k + labels[i]] = 1;
            }
        }
        return KMeans.fit(points, k, restarts, KMEANS_ITERATIONS, random).labels();
    }

    /** The share of (member, sequence) pairs where the member, renamed, disagrees with the consensus: the fit's loss. */
    private static double disagreement(List<int[]> partitions, int[] consensus, List<int[]> permutations) {
        long wrong = 0;
        for (int p = 0; p < partitions.size(); p++) {
            for (int i = 0; i < consensus.length; i++) {
                if (permutations.get(p)[partitions.get(p)[i]] != consensus[i]) {
                    wrong++;
                }
            }
        }
        return (double) wrong / ((long) partitions.size() * consensus.length);
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        int count = in.readInt("ensemble members", 1, 16);
        List<String> ids = new ArrayList<>();
        List<Assigner> assigners = new ArrayList<>();
        List<int[]> permutations = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            ModelKind kind = ModelKind.of(in.readString());
            if (kind.id().equals(ID)) {
                throw new IllegalArgumentException("an ensemble cannot hold an ensemble");
            }
            PayloadReader member = new PayloadReader(in.readBytes(kind + " member payload"));
            Assigner assigner = kind.spec().reader().apply(member);
            member.end();
            ids.add(kind.id());
            assigners.add(assigner);
            permutations.add(in.readInts("member permutation", assigner.k()));
        }
        return new Served(ids, assigners, permutations);
    }

    private record Served(List<String> ids, List<Assigner> assigners, List<int[]> permutations) implements Assigner {

        private Served {
            Assigner first = assigners.get(0);
            for (Assigner a : assigners) {
                if (a.k() != first.k() || a.dims() != first.dims()) {
                    throw new IllegalArgumentException("ensemble members of different k or dims");
                }
            }
            for (int[] p : permutations) {
                int[] sorted = p.clone();
                Arrays.sort(sorted);
                if (!Arrays.equals(sorted, ClusterAlignment.identity(first.k()))) {
                    throw new IllegalArgumentException("an ensemble member's permutation " + Arrays.toString(p) + " is not one");
                }
            }
        }

        @Override
        public int k() {
            return assigners.get(0).k();
        }

        @Override
        public int dims() {
            return assigners.get(0).dims();
        }

        @Override
        public double[] probabilities(double[][] values) {
            double[] p = new double[k()];
            for (int m = 0; m < assigners.size(); m++) {
                ClusterAlignment.addAligned(p, assigners.get(m).probabilities(values), permutations.get(m),
                        1.0 / assigners.size());
            }
            return p;
        }

        @Override
        public double[][] probabilities(List<double[][]> batch) {
            double[][] p = new double[batch.size()][k()];
            for (int m = 0; m < assigners.size(); m++) {
                ClusterAlignment.addAligned(p, assigners.get(m).probabilities(batch), permutations.get(m), 1.0 / assigners.size());
            }
            return p;
        }

        @Override
        public void write(PayloadWriter out) {
            out.writeInt(assigners.size());
            for (int m = 0; m < assigners.size(); m++) {
                out.writeString(ids.get(m)).writeBytes(assigners.get(m).payload()).writeInts(permutations.get(m));
            }
        }
    }
}
