package io.seqclust.model;

/**
 * Eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: exact to round-off, no
 * dependencies, and fast enough for DTCR's batch Gram matrices (n ≤ a few hundred), once per step.
 */
public final class SymmetricEigen {

    private SymmetricEigen() {
    }

    /**
     * The eigenvectors of the k largest eigenvalues of symmetric S (n × n), as the columns of an n × k
     * matrix with orthonormal columns, largest first.
     */
    public static double[][] topVectors(double[][] s, int k) {
        int n = s.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + ", was " + k);
        }
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = s[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double x : row) {
                scale += x * x;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * scale) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[][] top = new double[n][k];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                top[i][c] = v[i][order[c]];
            }
        }
        return top;
    }

    /** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' stable form); accumulates it into v's columns. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int r = 0; r < n; r++) {
            double arp = a[r][p];
            double arq = a[r][q];
            a[r][p] = c * arp - s * arq;
            a[r][q] = s * arp + c * arq;
        }
        for (int r = 0; r < n; r++) {
            double apr = a[p][r];
            double aqr = a[q][r];
            a[p][r] = c * apr - s * aqr;
            a[q][r] = s * apr + c * aqr;
        }
        for (int r = 0; r < n; r++) {
            double vrp = v[r][p];
            double vrq = v[r][q];
            v[r][p] = c * vrp - s * vrq;
            v[r][q] = s * vrp + c * vrq;
        }
    }
}
