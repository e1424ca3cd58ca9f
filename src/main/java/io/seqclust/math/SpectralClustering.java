package io.seqclust.math;

import java.util.Arrays;
import java.util.Random;

/**
 * Spectral clustering (Ng, Jordan &amp; Weiss 2001) over a k-nearest-neighbour graph with local scaling
 * (Zelnik-Manor &amp; Perona 2004): two points are joined when either is among the other's {@code neighbours}
 * nearest, with weight exp(−‖x_i − x_j‖² / (σ_i σ_j)), σ_i the distance from x_i to its
 * {@value #SCALE_NEIGHBOUR}th nearest; the rows of the k leading eigenvectors of D^−½ W D^−½, scaled to unit
 * length, are clustered by k-means. Unlike k-means on the points it follows clusters along a manifold and of
 * unequal spread, which is where the kernel models' components lose to k-Shape (ECGFiveDays, TwoLeadECG).
 */
public final class SpectralClustering {

    /** The neighbour whose distance is a point's scale σ: Zelnik-Manor and Perona's choice. */
    public static final int SCALE_NEIGHBOUR = 7;
    private static final int KMEANS_ITERATIONS = 300;

    private SpectralClustering() {
    }

    /** Each point's cluster among k, from the graph's {@link #affinity}; the embedding's k-means runs {@code restarts} times. */
    public static int[] labels(double[][] affinity, int k, int restarts, Random random) {
        if (k == 1) {
            return new int[affinity.length];
        }
        return KMeans.fit(embedding(affinity, k), k, restarts, KMEANS_ITERATIONS, random).labels();
    }

    /**
     * How many pieces the graph falls into (points joined by a path of positive weights are in one piece). A graph
     * of c pieces has c leading eigenvectors that are the pieces' indicators, so that its partition follows the
     * pieces whatever k is asked for.
     */
    public static int components(double[][] affinity) {
        return Arrays.stream(pieces(affinity)).max().orElse(-1) + 1;
    }

    /** Each point's piece of the graph (numbered from 0 in the order of the pieces' first points). */
    public static int[] pieces(double[][] affinity) {
        int n = affinity.length;
        int[] piece = new int[n];
        Arrays.fill(piece, -1);
        int[] stack = new int[n];
        int pieces = 0;
        for (int start = 0; start < n; start++) {
            if (piece[start] >= 0) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            piece[start] = pieces;
            while (top > 0) {
                int i = stack[--top];
                for (int j = 0; j < n; j++) {
                    if (affinity[i][j] > 0 && piece[j] < 0) {
                        piece[j] = pieces;
                        stack[top++] = j;
                    }
                }
            }
            pieces++;
        }
        return piece;
    }

    /**
     * How far a partition nests in the graph's pieces: the share of points that lie in the piece holding most of their
     * cluster (1 when every cluster lies within one piece; clusters may share a piece).
     */
    public static double nesting(int[] clusters, int k, int[] pieces) {
        int count = Arrays.stream(pieces).max().orElse(-1) + 1;
        int[][] table = new int[k][count];
        for (int i = 0; i < clusters.length; i++) {
            table[clusters[i]][pieces[i]]++;
        }
        int nested = 0;
        for (int[] row : table) {
            nested += Arrays.stream(row).max().orElse(0);
        }
        return clusters.length == 0 ? 1 : nested / (double) clusters.length;
    }

    /** The symmetric matrix of squared Euclidean distances. */
    public static double[][] squaredDistances(double[][] points) {
        int n = points.length;
        double[][] d2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d2[i][j] = d2[j][i] = KMeans.squaredDistance(points[i], points[j]);
            }
        }
        return d2;
    }

    /**
     * Each point's σ: the distance to its {@value #SCALE_NEIGHBOUR}th nearest other point (the farthest, with
     * fewer points), at least 1e-6 so that duplicates keep a finite affinity.
     */
    public static double[] scales(double[][] squaredDistances) {
        int n = squaredDistances.length;
        double[] scales = new double[n];
        for (int i = 0; i < n; i++) {
            scales[i] = scale(nearest(squaredDistances[i], i, SCALE_NEIGHBOUR), squaredDistances[i]);
        }
        return scales;
    }

    /** σ of a point from its squared distances to others, {@code nearestOthers} their indices nearest first. */
    public static double scale(int[] nearestOthers, double[] squaredDistances) {
        if (nearestOthers.length == 0) {
            return 1;
        }
        int at = Math.min(SCALE_NEIGHBOUR, nearestOthers.length) - 1;
        return Math.max(Math.sqrt(squaredDistances[nearestOthers[at]]), 1e-6);
    }

    /** The affinity between two points of squared distance d2 and scales σ_a, σ_b. */
    public static double weight(double d2, double scaleA, double scaleB) {
        return Math.exp(-d2 / (scaleA * scaleB));
    }

    /** W: w_ij = {@link #weight} where j is among i's {@code neighbours} nearest or i among j's; 0 elsewhere. */
    public static double[][] affinity(double[][] squaredDistances, double[] scales, int neighbours) {
        int n = squaredDistances.length;
        double[][] w = new double[n][n];
        int count = Math.min(neighbours, n - 1);
        for (int i = 0; i < n; i++) {
            for (int j : nearest(squaredDistances[i], i, count)) {
                w[i][j] = w[j][i] = weight(squaredDistances[i][j], scales[i], scales[j]);
            }
        }
        return w;
    }

    /**
     * The spectral embedding: the k leading eigenvectors of D^−½ W D^−½ as columns, each row scaled to unit
     * length (a row of zeros, an isolated point, stays zero).
     */
    public static double[][] embedding(double[][] affinity, int k) {
        int n = affinity.length;
        double[] inverseRoot = new double[n];
        for (int i = 0; i < n; i++) {
            double degree = Arrays.stream(affinity[i]).sum();
            inverseRoot[i] = degree > 0 ? 1 / Math.sqrt(degree) : 0;
        }
        double[][] normalised = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                normalised[i][j] = affinity[i][j] * inverseRoot[i] * inverseRoot[j];
            }
        }
        double[][] u = SymmetricEigen.topVectors(normalised, k);
        for (double[] row : u) {
            double norm = Math.sqrt(Arrays.stream(row).map(x -> x * x).sum());
            if (norm > 0) {
                for (int c = 0; c < row.length; c++) {
                    row[c] /= norm;
                }
            }
        }
        return u;
    }

    /**
     * The indices of the {@code count} smallest of {@code row}, nearest first (equals in index order), leaving out
     * {@code self} (−1: none): insertion into a short sorted list, one pass over the row.
     */
    public static int[] nearest(double[] row, int self, int count) {
        int m = Math.min(count, row.length - (self >= 0 && self < row.length ? 1 : 0));
        int[] best = new int[Math.max(m, 0)];
        int size = 0;
        for (int j = 0; j < row.length && m > 0; j++) {
            if (j == self || size == m && row[j] >= row[best[m - 1]]) {
                continue;
            }
            int at = size < m ? size++ : m - 1;
            while (at > 0 && row[best[at - 1]] > row[j]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = j;
        }
        return best;
    }
}
