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
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logits.length; j++) {
            logits[j] = -distances[j] / temperature;
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            logits[j] = Math.exp(logits[j] - max);
            sum += logits[j];
        }
        for (int j = 0; j < logits.length; j++) {
            logits[j] /= sum;
        }
        return logits;
    }
}
