package io.seqclust.model.loss;

import io.seqclust.math.SymmetricEigen;

/**
 * DTCR's k-means term, the spectral relaxation of k-means (Zha et al., 2001) on a batch's
 * representations H (n × m, one row per sequence): Tr(H Hᵀ) − Tr(Fᵀ H Hᵀ F), with F (n × k, orthonormal
 * columns) the top-k eigenvectors of H Hᵀ, computed outside the gradient. Its minimum over F is the
 * value; for a fixed F its gradient is 2 (H − F Fᵀ H).
 */
public final class SpectralKMeansLoss {

    private SpectralKMeansLoss() {
    }

    public record Result(double value, double[][] dH) {
    }

    /** The top-k eigenvectors of H Hᵀ: the F that minimises the term for this batch. */
    public static double[][] indicator(double[][] h, int k) {
        return SymmetricEigen.topVectors(gram(h), Math.min(k, h.length));
    }

    /** The term and its gradient with respect to H for a fixed F. */
    public static Result evaluate(double[][] h, double[][] f) {
        int n = h.length;
        int m = h[0].length;
        int k = f[0].length;
        double[][] fth = new double[k][m];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double fic = f[i][c];
                for (int j = 0; j < m; j++) {
                    fth[c][j] += fic * h[i][j];
                }
            }
        }
        double value = 0;
        for (double[] row : h) {
            for (double x : row) {
                value += x * x;
            }
        }
        for (double[] row : fth) {
            for (double x : row) {
                value -= x * x;
            }
        }
        double[][] dH = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double proj = 0;
                for (int c = 0; c < k; c++) {
                    proj += f[i][c] * fth[c][j];
                }
                dH[i][j] = 2 * (h[i][j] - proj);
            }
        }
        return new Result(value, dH);
    }

    static double[][] gram(double[][] h) {
        int n = h.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int d = 0; d < h[i].length; d++) {
                    s += h[i][d] * h[j][d];
                }
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
    }
}
