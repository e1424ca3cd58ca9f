package io.seqclust.clustering;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.model.layer.Activations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A checkpoint restored and checked, ready to assign with stable cluster ids. */
public record LoadedModel(Checkpoint checkpoint, Assigner assigner) {

    /** @param probabilities indexed by stable cluster id */
    public record Result(int cluster, double[] probabilities, double confidence) {
    }

    /** A checkpoint that reads well but gives unusable probabilities on a probe sequence. */
    public static final class ProbeException extends IllegalArgumentException {
        ProbeException(String message) {
            super(message);
        }
    }

    /** {@link #restore(Checkpoint, List)} with the all-zero probe only. */
    public static LoadedModel restore(Checkpoint checkpoint) {
        return restore(checkpoint, List.of());
    }

    /**
     * Restores a checkpoint — its serving payload only, no training machinery — and checks it before it
     * may serve: a known model, a payload that is read to its end and agrees with the header, a true
     * permutation, and finite probabilities summing to 1 on an all-zero sequence and on each probe of its D.
     *
     * @param probes real sequences of the stream (those of another D are skipped)
     * @throws IllegalArgumentException when it must not serve, saying why ({@link ProbeException} for a probe)
     */
    public static LoadedModel restore(Checkpoint checkpoint, List<double[][]> probes) {
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
        List<double[][]> all = new ArrayList<>();
        all.add(new double[][] {new double[checkpoint.dims()]});
        for (double[][] p : probes) {
            if (p.length > 0 && p[0].length == checkpoint.dims()) {
                all.add(p);
            }
        }
        for (int i = 0; i < all.size(); i++) {
            checkProbabilities(assigner.probabilities(all.get(i)), checkpoint.k(),
                    i == 0 ? "an all-zero probe sequence" : "probe sequence " + i + " of the stream");
        }
        return new LoadedModel(checkpoint, assigner);
    }

    private static void checkProbabilities(double[] p, int k, String probe) {
        double sum = 0;
        for (double x : p) {
            if (!Double.isFinite(x) || x < 0) {
                throw new ProbeException("checkpoint gives a non-finite or negative probability on " + probe);
            }
            sum += x;
        }
        if (p.length != k || Math.abs(sum - 1) > 1e-6) {
            throw new ProbeException("checkpoint's probabilities on " + probe + " do not sum to 1 over k clusters");
        }
    }

    /** @param values a sequence with {@link #dims()} columns */
    public Result assign(double[][] values) {
        double[] p = byStableId(assigner.probabilities(values), checkpoint.permutation());
        int best = Activations.argmax(p);
        return new Result(best, p, p[best]);
    }

    /** A model's own cluster probabilities, indexed by the stable ids {@code permutation} gives its clusters. */
    public static double[] byStableId(double[] own, int[] permutation) {
        double[] p = new double[own.length];
        for (int i = 0; i < own.length; i++) {
            p[permutation[i]] = own[i];
        }
        return p;
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
