package io.seqclust.clustering;

import io.seqclust.math.Hungarian;

/**
 * Keeps cluster ids stable across retrains: the new model's clusters get the ids of the previous
 * model's clusters they agree with most on the same sequences (a maximum-weight matching).
 */
public final class ClusterAlignment {

    private ClusterAlignment() {
    }

    /**
     * @param previous the stable ids the previous model gives to the window's sequences
     * @param fresh    the new model's own cluster of the same sequences
     * @return the stable id of each of the new model's k clusters
     */
    public static int[] permutation(int[] previous, int[] fresh, int k) {
        double[][] overlap = new double[k][k];
        for (int i = 0; i < fresh.length; i++) {
            overlap[fresh[i]][previous[i]]++;
        }
        return Hungarian.maximise(overlap);
    }

    /**
     * Stable ids for a new model whose k may differ from the served one's: each new cluster takes the id of
     * the served cluster it shares most sequences with (a maximum-weight matching); new clusters left over
     * take fresh ids from {@code nextId} on, so that an id never changes meaning, and ids of served clusters
     * left over are retired. With the same k this is {@link #permutation} over the served ids.
     *
     * @param previous  the served model's stable id of each sequence
     * @param fresh     the new model's own cluster (0 .. k − 1) of each sequence
     * @param servedIds the served model's ids
     * @param nextId    the lowest id never issued
     * @return the stable id of each of the new model's k clusters
     */
    public static int[] stableIds(int[] previous, int[] fresh, int k, int[] servedIds, int nextId) {
        int size = Math.max(k, servedIds.length);
        java.util.Map<Integer, Integer> column = new java.util.HashMap<>();
        for (int j = 0; j < servedIds.length; j++) {
            column.put(servedIds[j], j);
        }
        double[][] overlap = new double[size][size];
        for (int i = 0; i < fresh.length; i++) {
            Integer j = column.get(previous[i]);
            if (j != null) {
                overlap[fresh[i]][j]++;
            }
        }
        int[] match = Hungarian.maximise(overlap);
        int[] ids = new int[k];
        int next = nextId;
        for (int c = 0; c < k; c++) {
            ids[c] = match[c] < servedIds.length ? servedIds[match[c]] : next++;
        }
        return ids;
    }

    /**
     * Adds one member's probabilities, renamed by its permutation, with the given weight: the aligned
     * average of several models' probabilities is this once per model with weight 1 / models.
     */
    public static void addAligned(double[] sum, double[] own, int[] permutation, double weight) {
        for (int i = 0; i < own.length; i++) {
            sum[permutation[i]] += own[i] * weight;
        }
    }

    /** {@link #addAligned(double[], double[], int[], double)} for each sequence of a batch. */
    public static void addAligned(double[][] sums, double[][] own, int[] permutation, double weight) {
        for (int i = 0; i < sums.length; i++) {
            addAligned(sums[i], own[i], permutation, weight);
        }
    }

    public static int[] identity(int k) {
        int[] p = new int[k];
        for (int i = 0; i < k; i++) {
            p[i] = i;
        }
        return p;
    }
}
