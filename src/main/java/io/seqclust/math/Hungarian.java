package io.seqclust.math;

import java.util.Arrays;

/** Optimal assignment (Kuhn–Munkres with potentials, O(n³)) on a square cost matrix. */
public final class Hungarian {

    private Hungarian() {
    }

    /** The column matched to each row so that the summed cost is smallest. */
    public static int[] minimise(double[][] cost) {
        int n = cost.length;
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] p = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                int j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= n; j++) {
            rowToCol[p[j] - 1] = j - 1;
        }
        return rowToCol;
    }

    /** The column matched to each row so that the summed weight is largest. */
    public static int[] maximise(double[][] weight) {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : weight) {
            for (double w : row) {
                max = Math.max(max, w);
            }
        }
        double[][] cost = new double[weight.length][];
        for (int i = 0; i < weight.length; i++) {
            cost[i] = new double[weight[i].length];
            for (int j = 0; j < cost[i].length; j++) {
                cost[i][j] = max - weight[i][j];
            }
        }
        return minimise(cost);
    }
}
