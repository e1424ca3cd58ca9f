package io.seqclust.clustering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A window made ready for a deep model: its size checked, its sequences normalised (with the per-channel
 * statistics the checkpoint keeps), and cut into shuffled batches each epoch.
 *
 * @param stats per-channel mean and standard deviation, or null for per-series normalisation
 */
record TrainingData(List<double[][]> sequences, double[][] stats, int k) {

    static TrainingData of(String model, List<double[][]> window, int k, Rddc.Normalization normalization) {
        if (window.size() < k + 1) {
            throw new IllegalArgumentException(model + " needs more than k = " + k + " sequences, the window has " + window.size());
        }
        int dims = window.get(0)[0].length;
        double[][] stats = normalization == Rddc.Normalization.channel ? Rddc.channelStats(window, dims) : null;
        List<double[][]> data = new ArrayList<>(window.size());
        for (double[][] x : window) {
            data.add(Rddc.normalise(x, normalization, stats));
        }
        return new TrainingData(data, stats, k);
    }

    /** Shuffled batches of batchSize; a last batch of k or fewer is dropped (both losses need more than k rows). */
    List<List<double[][]>> batches(int batchSize, Random random) {
        List<double[][]> shuffled = new ArrayList<>(sequences);
        Collections.shuffle(shuffled, random);
        List<List<double[][]>> out = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += batchSize) {
            List<double[][]> b = shuffled.subList(from, Math.min(shuffled.size(), from + batchSize));
            if (b.size() > k || out.isEmpty()) {
                out.add(b);
            }
        }
        return out;
    }
}
