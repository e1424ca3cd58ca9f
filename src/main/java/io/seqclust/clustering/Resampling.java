package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.model.train.TrainingProgress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** A model's partitions of random resamples of a window: what stability-based choices (of k, of a member) compare. */
final class Resampling {

    /** The share of the window a resample holds. */
    static final double SHARE = 0.8;

    private Resampling() {
    }

    /**
     * @return one partition per resample, indexed like {@code data}: the cluster of each sequence the resample
     *         held, −1 for those it left out
     */
    static List<int[]> partitions(ModelSpec<?> spec, Record settings, int k, List<double[][]> data, int resamples, Random random) {
        int n = data.size();
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < resamples; r++) {
            int[] chosen = subset(n, random);
            int[] labels = spec.create(settings, k).fit(Arrays.stream(chosen).mapToObj(data::get).toList(), random.nextLong(),
                    TrainingProgress.NONE).labels();
            out.add(byIndex(n, chosen, labels));
        }
        return out;
    }

    /** {@link #SHARE} of the indices 0..n−1 (rounded), at random without repeats, in the order drawn. */
    static int[] subset(int n, Random random) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, random);
        return indices.subList(0, (int) Math.round(SHARE * n)).stream().mapToInt(Integer::intValue).toArray();
    }

    /** A resample's labels indexed like the window: {@code labels[a]} at {@code chosen[a]}, −1 where it left a sequence out. */
    static int[] byIndex(int n, int[] chosen, int[] labels) {
        int[] out = new int[n];
        Arrays.fill(out, -1);
        for (int a = 0; a < chosen.length; a++) {
            out[chosen[a]] = labels[a];
        }
        return out;
    }

    /** The resamples' mean pairwise NMI, each pair compared on the sequences both held (1 for a single resample). */
    static double agreement(List<int[]> partitions) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < partitions.size(); a++) {
            for (int b = a + 1; b < partitions.size(); b++) {
                int[] x = partitions.get(a);
                int[] y = partitions.get(b);
                int[] shared = IntStream.range(0, x.length).filter(i -> x[i] >= 0 && y[i] >= 0).toArray();
                sum += shared.length == 0 ? 0 : ClusteringScores.normalisedMutualInformation(Arrays.stream(shared).map(i -> x[i]).toArray(),
                        Arrays.stream(shared).map(i -> y[i]).toArray());
                pairs++;
            }
        }
        return pairs == 0 ? 1 : sum / pairs;
    }
}
