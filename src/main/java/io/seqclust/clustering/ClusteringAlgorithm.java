package io.seqclust.clustering;

import io.seqclust.model.train.TrainingProgress;

import java.util.List;

/** A model family, built with its settings for k clusters: trains on a window of sequences. */
public interface ClusteringAlgorithm {

    /**
     * @param window sequences {@code [T][D]}, all with the same D; labels never reach here
     * @throws IllegalArgumentException when the window cannot be trained on (too small, say)
     */
    Fit fit(List<double[][]> window, long seed, TrainingProgress progress);

    /** @throws IllegalArgumentException unless k is at least 2 */
    static void requireK(String model, int k) {
        if (k < 2) {
            throw new IllegalArgumentException(model + " needs k >= 2, was " + k);
        }
    }

    /** @throws IllegalArgumentException unless the window holds at least {@code needed} sequences */
    static void requireWindow(String model, List<double[][]> window, int needed) {
        if (window.size() < needed) {
            throw new IllegalArgumentException(model + " needs at least " + needed + " sequences, the window has " + window.size());
        }
    }
}
