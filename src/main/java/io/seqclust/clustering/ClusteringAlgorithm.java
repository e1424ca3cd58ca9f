package io.seqclust.clustering;

import java.util.List;

/**
 * A clustering model family: trains on a window of sequences. Its trained {@link Assigner} goes into
 * a {@link Checkpoint}, which {@link Models#load} turns back into an assigner. kmeans-avg implements
 * it, as do RDDC and DTCR.
 */
public interface ClusteringAlgorithm {

    /** The name used in {@code seqclust.model.name}, in checkpoints and in assignments. */
    String name();

    /**
     * @param window sequences {@code [T][D]}, all with the same D
     * @throws IllegalArgumentException when the window cannot be trained on (too small, say)
     */
    Assigner train(List<double[][]> window, long seed, TrainingProgress progress);
}
