package io.seqclust.clustering;

import io.seqclust.model.train.TrainingProgress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A model's partitions of random resamples of a window: what stability-based choices (of k, of a member) compare. */
final class Resampling {

    private Resampling() {
    }

    /**
     * @return one partition per resample, indexed like {@code data}: the cluster of each sequence the resample
     *         held, −1 for those it left out
     */
    static List<int[]> partitions(ModelSpec<?> spec, Record settings, int k, List<double[][]> data, int resamples, double share,
                                  Random random) {
        int n = data.size();
        int size = (int) Math.round(share * n);
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < resamples; r++) {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                indices.add(i);
            }
            Collections.shuffle(indices, random);
            List<Integer> chosen = indices.subList(0, size);
            int[] labels = spec.create(settings, k).fit(chosen.stream().map(data::get).toList(), random.nextLong(),
                    TrainingProgress.NONE).labels();
            int[] byIndex = new int[n];
            Arrays.fill(byIndex, -1);
            for (int a = 0; a < chosen.size(); a++) {
                byIndex[chosen.get(a)] = labels[a];
            }
            out.add(byIndex);
        }
        return out;
    }
}
