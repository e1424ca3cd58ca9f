package io.seqclust.math;

/** Probabilities of a point's clusters from its distances to their centroids: a softmax of −distance / temperature. */
public final class SoftAssignment {

    private SoftAssignment() {
    }

    /** Over squared Euclidean distances to the centroids. */
    public static double[] ofSquaredDistances(double[] point, double[][] centroids, double temperature) {
        double[] d = new double[centroids.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = KMeans.squaredDistance(point, centroids[j]);
        }
        return of(d, temperature);
    }

    public static double[] of(double[] distances, double temperature) {
        double[] logits = new double[distances.length];
        for (int j = 0; j < logits.length; j++) {
            logits[j] = -distances[j] / temperature;
        }
        return softmax(logits);
    }

    /** Numerically stable softmax (the largest logit is subtracted first); the one the networks use too. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
