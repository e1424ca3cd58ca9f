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

    /**
     * How far stable ids may run above k: ids of clusters retired when k fell, and fresh ones when it rose.
     * It bounds the length of an assignment's probabilities; a trainer that would go beyond renumbers.
     */
    public static final int RETIRED_IDS = 64;

    /** {@link #restore(Checkpoint, List)} with the all-zero probe only. */
    public static LoadedModel restore(Checkpoint checkpoint) {
        return restore(checkpoint, List.of());
    }

    /**
     * Restores a checkpoint — its serving payload only, no training machinery — and checks it before it
     * may serve: a known model, a payload that is read to its end and agrees with the header, k distinct
     * cluster ids below k + {@value #RETIRED_IDS}, and finite probabilities summing to 1 on an all-zero sequence and on each probe of its D.
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
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0 || (i > 0 && sorted[i] == sorted[i - 1]) || sorted[i] >= checkpoint.k() + RETIRED_IDS) {
                throw new IllegalArgumentException("checkpoint cluster ids " + Arrays.toString(checkpoint.permutation())
                        + " are not " + checkpoint.k() + " distinct ids in 0.." + (checkpoint.k() + RETIRED_IDS - 1));
            }
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
        return result(assigner.probabilities(values));
    }

    /** {@link #assign} of each sequence of a batch, in one pass of the model where it gains from one. */
    public List<Result> assignAll(List<double[][]> batch) {
        return Arrays.stream(assigner.probabilities(batch)).map(this::result).toList();
    }

    private Result result(double[] own) {
        double[] p = byStableId(own, checkpoint.permutation());
        int best = Activations.argmax(p);
        return new Result(best, p, p[best]);
    }

    /**
     * A model's own cluster probabilities, indexed by the stable ids {@code ids} gives its clusters: as long
     * as the highest id + 1, ids of retired clusters (after k changed) at 0.
     */
    public static double[] byStableId(double[] own, int[] ids) {
        double[] p = new double[idSpace(ids)];
        for (int i = 0; i < own.length; i++) {
            p[ids[i]] = own[i];
        }
        return p;
    }

    /** One above the highest id: the length of a probability vector by stable id. */
    public static int idSpace(int[] ids) {
        return Arrays.stream(ids).max().orElse(-1) + 1;
    }

    /** The length of this model's probability vectors (k, unless clusters were retired when k changed). */
    public int idSpace() {
        return idSpace(checkpoint.permutation());
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
