package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadWriter;

import java.util.List;

/**
 * A trained model as serving keeps it: soft cluster assignment of one sequence, and nothing of its
 * training. Must be safe to call from many threads.
 */
public interface Assigner {

    int k();

    int dims();

    /** Probabilities over the model's own k clusters (before any label permutation); they sum to 1. */
    double[] probabilities(double[][] values);

    /**
     * {@link #probabilities(double[][])} of each sequence of a batch, in its order. Models whose pass gains from
     * a batch (the GRU networks: matrix–matrix products instead of matrix–vector ones) override it.
     */
    default double[][] probabilities(List<double[][]> batch) {
        double[][] p = new double[batch.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities(batch.get(i));
        }
        return p;
    }

    /** Writes what serving needs, as the model's {@link ModelSpec#reader()} reads it. */
    void write(PayloadWriter out);

    default byte[] payload() {
        PayloadWriter out = new PayloadWriter();
        write(out);
        return out.toBytes();
    }
}
