package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.model.layer.Activations;

import java.util.Arrays;

/** A checkpoint restored and checked, ready to assign with stable cluster ids. */
public record LoadedModel(Checkpoint checkpoint, Assigner assigner) {

    /** @param probabilities indexed by stable cluster id */
    public record Result(int cluster, double[] probabilities, double confidence) {
    }

    /**
     * Restores a checkpoint — its serving payload only, no training machinery — and checks it before it
     * may serve: a known model, a payload that is read to its end and agrees with the header, a true
     * permutation, and finite probabilities summing to 1 on a probe sequence.
     *
     * @throws IllegalArgumentException when it must not serve, saying why
     */
    public static LoadedModel restore(Checkpoint checkpoint) {
        ModelKind kind = ModelKind.of(checkpoint.model());
        PayloadReader in = new PayloadReader(checkpoint.payload());
        Assigner assigner;
        try {
            assigner = kind.spec().reader().apply(in);
            in.end();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt " + kind + " payload: " + e.getMessage(), e);
        }
        if (assigner.k() != checkpoint.k() || assigner.dims() != checkpoint.dims()) {
            throw new IllegalArgumentException("checkpoint header says k=" + checkpoint.k() + ", dims=" + checkpoint.dims()
                    + " but its payload has k=" + assigner.k() + ", dims=" + assigner.dims());
        }
        int[] sorted = checkpoint.permutation().clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, ClusterAlignment.identity(checkpoint.k()))) {
            throw new IllegalArgumentException("checkpoint label permutation " + Arrays.toString(checkpoint.permutation())
                    + " is not a permutation of 0.." + (checkpoint.k() - 1));
        }
        double[] probe = assigner.probabilities(new double[][] {new double[checkpoint.dims()]});
        double sum = 0;
        for (double p : probe) {
            if (!Double.isFinite(p) || p < 0) {
                throw new IllegalArgumentException("checkpoint gives a non-finite or negative probability on a probe sequence");
            }
            sum += p;
        }
        if (probe.length != checkpoint.k() || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("checkpoint's probabilities on a probe sequence do not sum to 1 over k clusters");
        }
        return new LoadedModel(checkpoint, assigner);
    }

    /** @param values a sequence with {@link #dims()} columns */
    public Result assign(double[][] values) {
        double[] own = assigner.probabilities(values);
        int[] perm = checkpoint.permutation();
        double[] p = new double[own.length];
        for (int i = 0; i < own.length; i++) {
            p[perm[i]] = own[i];
        }
        int best = Activations.argmax(p);
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
