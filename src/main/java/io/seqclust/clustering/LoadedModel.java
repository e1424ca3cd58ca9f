package io.seqclust.clustering;

import io.seqclust.model.Softmax;

/** A checkpoint restored and checked, ready to assign with stable cluster ids. */
public record LoadedModel(Checkpoint checkpoint, Assigner assigner) {

    /** @param probabilities indexed by stable cluster id */
    public record Result(int cluster, double[] probabilities, double confidence) {
    }

    /** @param values a sequence with {@link #dims()} columns */
    public Result assign(double[][] values) {
        double[] own = assigner.probabilities(values);
        int[] perm = checkpoint.permutation();
        double[] p = new double[own.length];
        for (int i = 0; i < own.length; i++) {
            p[perm[i]] = own[i];
        }
        int best = Softmax.argmax(p);
        return new Result(best, p, p[best]);
    }

    public int dims() {
        return checkpoint.dims();
    }

    public String name() {
        return checkpoint.model();
    }

    public long version() {
        return checkpoint.version();
    }
}
