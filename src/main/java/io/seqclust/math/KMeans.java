package io.seqclust.math;

import java.util.Random;

/** Lloyd's k-means with k-means++ seeding and restarts; the restart with the lowest inertia wins. */
public final class KMeans {

    /**
     * @param centroids k × m
     * @param labels    the nearest centroid of each point
     * @param inertia   sum of squared distances of the points to their centroids
     */
    public record Result(double[][] centroids, int[] labels, double inertia, int iterations) {
    }

    private KMeans() {
    }

    /**
     * Points with a non-finite coordinate (a feature that overflowed) take no part: the centroids, seeding and
     * inertia are those of the finite points alone, and each such point is labelled with the centroid nearest
     * over its finite coordinates, so that one bad row can neither poison the model nor leave a row unlabelled.
     */
    public static Result fit(double[][] points, int k, int restarts, int maxIterations, Random random) {
        if (restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("restarts and maxIterations must be >= 1");
        }
        int[] finite = finiteRows(points);
        if (finite.length < k) {
            throw new IllegalArgumentException("k-means needs at least k = " + k + " points with finite features, got "
                    + finite.length + (finite.length < points.length ? " of " + points.length : ""));
        }
        double[][] kept = finite.length == points.length ? points
                : java.util.Arrays.stream(finite).mapToObj(i -> points[i]).toArray(double[][]::new);
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result result = lloyd(kept, seedPlusPlus(kept, k, random), maxIterations, random);
            if (best == null || result.inertia() < best.inertia()) {
                best = result;
            }
        }
        if (kept == points) {
            return best;
        }
        int[] labels = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            labels[i] = nearestOverFinite(points[i], best.centroids());
        }
        for (int j = 0; j < finite.length; j++) {
            labels[finite[j]] = best.labels()[j];
        }
        return new Result(best.centroids(), labels, best.inertia(), best.iterations());
    }

    /** Indices of the rows whose every value is finite, in order. */
    public static int[] finiteRows(double[][] points) {
        return java.util.stream.IntStream.range(0, points.length)
                .filter(i -> java.util.Arrays.stream(points[i]).allMatch(Double::isFinite)).toArray();
    }

    private static int nearestOverFinite(double[] point, double[][] centroids) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double d = 0;
            for (int j = 0; j < point.length; j++) {
                if (Double.isFinite(point[j])) {
                    double diff = point[j] - centroids[c][j];
                    d += diff * diff;
                }
            }
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    /** k-means++: each next centre drawn with probability proportional to its squared distance to the chosen ones. */
    static double[][] seedPlusPlus(double[][] points, int k, Random random) {
        int n = points.length;
        double[][] centres = new double[k][];
        centres[0] = points[random.nextInt(n)].clone();
        double[] d2 = new double[n];
        for (int i = 0; i < n; i++) {
            d2[i] = squaredDistance(points[i], centres[0]);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double v : d2) {
                total += v;
            }
            int pick;
            if (total == 0) {
                pick = random.nextInt(n);
            } else {
                double u = random.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    u -= d2[i];
                    if (u < 0) {
                        pick = i;
                        break;
                    }
                }
            }
            centres[c] = points[pick].clone();
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], squaredDistance(points[i], centres[c]));
            }
        }
        return centres;
    }

    private static Result lloyd(double[][] points, double[][] centroids, int maxIterations, Random random) {
        int n = points.length;
        int k = centroids.length;
        int m = points[0].length;
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        int iteration = 0;
        boolean changed = true;
        while (changed && iteration < maxIterations) {
            iteration++;
            changed = false;
            for (int i = 0; i < n; i++) {
                int nearest = nearest(points[i], centroids);
                if (nearest != labels[i]) {
                    labels[i] = nearest;
                    changed = true;
                }
            }
            double[][] sums = new double[k][m];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[labels[i]]++;
                for (int j = 0; j < m; j++) {
                    sums[labels[i]][j] += points[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // an emptied cluster restarts at a random point rather than staying dead
                    centroids[c] = points[random.nextInt(n)].clone();
                    changed = true;
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    centroids[c][j] = sums[c][j] / counts[c];
                }
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = nearest(points[i], centroids);
            inertia += squaredDistance(points[i], centroids[labels[i]]);
        }
        return new Result(centroids, labels, inertia, iteration);
    }

    /** The mean of each of k clusters' points (zeros for a cluster with none). */
    public static double[][] centroids(double[][] points, int[] labels, int k) {
        double[][] centroids = new double[k][points[0].length];
        int[] counts = new int[k];
        for (int i = 0; i < points.length; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < points[i].length; j++) {
                centroids[labels[i]][j] += points[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < centroids[c].length && counts[c] > 0; j++) {
                centroids[c][j] /= counts[c];
            }
        }
        return centroids;
    }

    /** The sum of squared distances of the points to their clusters' centroids. */
    public static double inertia(double[][] points, int[] labels, double[][] centroids) {
        double inertia = 0;
        for (int i = 0; i < points.length; i++) {
            inertia += squaredDistance(points[i], centroids[labels[i]]);
        }
        return inertia;
    }

    public static int nearest(double[] point, double[][] centroids) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double d = squaredDistance(point, centroids[c]);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] - b[j];
            s += diff * diff;
        }
        return s;
    }
}
