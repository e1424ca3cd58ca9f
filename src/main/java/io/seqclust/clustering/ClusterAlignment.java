package io.seqclust.clustering;

import io.seqclust.math.Hungarian;

/**
 * Keeps cluster ids stable across retrains: the new model's clusters get the ids of the previous
 * model's clusters they agree with most on the same window (a maximum-weight matching).
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
     * Adds one member's probabilities, renamed by its permutation, with the given weight: the aligned
     * average of several models' probabilities is this once per model with weight 1 / models.
     */
    public static void addAligned(double[] sum, double[] own, int[] permutation, double weight) {
        for (int i = 0; i < own.length; i++) {
            sum[permutation[i]] += own[i] * weight;
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
