package io.seqclust.clustering;

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
        int best = 0;
        for (int i = 0; i < own.length; i++) {
            p[perm[i]] = own[i];
        }
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
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
