package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadWriter;

/**
 * A trained model as serving keeps it: soft cluster assignment of one sequence, and nothing of its
 * training. Must be safe to call from many threads.
 */
public interface Assigner {

    int k();

    int dims();

    /** Probabilities over the model's own k clusters (before any label permutation); they sum to 1. */
    double[] probabilities(double[][] values);

    /** Writes what serving needs, as the model's {@link ModelSpec#reader()} reads it. */
    void write(PayloadWriter out);

    default byte[] payload() {
        PayloadWriter out = new PayloadWriter();
        write(out);
        return out.toBytes();
    }
}
