package io.seqclust.clustering;

/** A trained model: soft cluster assignment of one sequence. Must be safe to call from many threads. */
public interface Assigner {

    int k();

    int dims();

    /** Probabilities over the model's own k clusters (before any label permutation); they sum to 1. */
    double[] probabilities(double[][] values);

    /** What {@link Models#load} restores this model from. */
    byte[] payload();
}
