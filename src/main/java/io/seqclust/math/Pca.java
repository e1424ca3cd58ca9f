package io.seqclust.math;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Principal components of standardised rows: the fewest leading axes that explain a share of the variance,
 * at most a given number. Fitted on the n × p data through whichever Gram matrix is smaller (n × n or
 * p × p), so that a few hundred sequences with thousands of features cost a few hundred squared.
 *
 * @param axes c × p, orthonormal rows
 */
public record Pca(double[][] axes) {

    /** Features per slice of {@link #rowGram}: four rows' slices (16 KiB) stay in L1 while the others stream. */
    private static final int SLICE = 512;

    public static Pca fit(double[][] x, double varianceShare, int maxComponents) {
        int n = x.length;
        int p = x[0].length;
        boolean byRows = n <= p;
        int size = byRows ? n : p;
        double[][] gram = byRows ? rowGram(x) : rowGram(transpose(x));
        SymmetricEigen.Decomposition eig = SymmetricEigen.decompose(gram, Math.min(size, Math.max(maxComponents, 1)));
        double total = 0;
        for (double v : eig.values()) {
            total += Math.max(v, 0);
        }
        int c = 0;
        double explained = 0;
        while (c < Math.min(size, maxComponents) && eig.values()[c] > 1e-12 * total
                && (c == 0 || explained < varianceShare * total)) {
            explained += eig.values()[c];
            c++;
        }
        c = Math.max(c, 1);
        double[][] axes = byRows ? rowAxes(x, eig, c) : Arrays.copyOf(eig.vectors(), c);
        return new Pca(axes);
    }

    /**
     * An eigenvector u of X Xᵀ gives the axis Xᵀ u / √λ. Four axes per pass over the rows, in parallel: one pass
     * per axis read all of X again for each (50 times 80 MB for 1,000 rows of 10,000 features).
     */
    private static double[][] rowAxes(double[][] x, SymmetricEigen.Decomposition eig, int c) {
        int n = x.length;
        int p = x[0].length;
        double[][] axes = new double[c][p];
        IntStream.range(0, (c + 3) / 4).parallel().forEach(block -> {
            double[][] u = new double[4][];
            double[][] out = new double[4][];
            for (int k = 0; k < 4; k++) {
                int a = 4 * block + k;
                u[k] = a < c ? eig.vectors()[a] : new double[n];
                out[k] = a < c ? axes[a] : new double[p];
            }
            for (int i = 0; i < n; i++) {
                double[] row = x[i];
                double c0 = u[0][i], c1 = u[1][i], c2 = u[2][i], c3 = u[3][i];
                double[] o0 = out[0], o1 = out[1], o2 = out[2], o3 = out[3];
                for (int f = 0; f < p; f++) {
                    double v = row[f];
                    o0[f] += c0 * v;
                    o1[f] += c1 * v;
                    o2[f] += c2 * v;
                    o3[f] += c3 * v;
                }
            }
        });
        for (int a = 0; a < c; a++) {
            double norm = Math.sqrt(Math.max(eig.values()[a], 1e-300));
            for (int f = 0; f < p; f++) {
                axes[a][f] /= norm;
            }
        }
        return axes;
    }

    /**
     * The row's coordinates on the axes, four axes per pass over the row: one load of each feature serves four
     * sums, and the four sums do not wait on each other.
     */
    public double[] project(double[] row) {
        double[] z = new double[axes.length];
        int a = 0;
        for (; a + 3 < axes.length; a += 4) {
            double[] w0 = axes[a];
            double[] w1 = axes[a + 1];
            double[] w2 = axes[a + 2];
            double[] w3 = axes[a + 3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int f = 0; f < w0.length; f++) {
                double v = row[f];
                s0 += v * w0[f];
                s1 += v * w1[f];
                s2 += v * w2[f];
                s3 += v * w3[f];
            }
            z[a] = s0;
            z[a + 1] = s1;
            z[a + 2] = s2;
            z[a + 3] = s3;
        }
        for (; a < axes.length; a++) {
            z[a] = ProjectionPursuit.dot(row, axes[a]);
        }
        return z;
    }

    /**
     * X Xᵀ, four rows against four rows at a time over slices of {@value #SLICE} features: each value loaded
     * serves four products, the sixteen sums do not wait on each other, and a block's slices stay in cache
     * while the other rows stream past. The row-by-row dot products it replaced waited on memory and on one
     * running sum: 1,000 rows of 10,000 features took 3.5 s against 0.86 s on 2 cores (ND4J's dgemm took
     * 0.41 s, but its OpenMP threads do not keep to the training pool's size). Parallel over blocks of rows,
     * each task writing only its own rows' upper triangle.
     */
    static double[][] rowGram(double[][] x) {
        int n = x.length;
        int p = x[0].length;
        double[][] g = new double[n][n];
        IntStream.range(0, (n + 3) / 4).parallel().forEach(block -> {
            int i0 = 4 * block;
            double[] sums = new double[16];
            for (int f0 = 0; f0 < p; f0 += SLICE) {
                int f1 = Math.min(p, f0 + SLICE);
                for (int j0 = i0; j0 < n; j0 += 4) {
                    blockProducts(x, i0, j0, f0, f1, sums);
                    for (int u = 0; u < 4 && i0 + u < n; u++) {
                        for (int v = Math.max(0, i0 + u - j0); v < 4 && j0 + v < n; v++) {
                            g[i0 + u][j0 + v] += sums[4 * u + v];
                        }
                    }
                }
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                g[i][j] = g[j][i];
            }
        }
        return g;
    }


    /** sums[4u + v] = rows i0 + u and j0 + v over features f0..f1; rows past the end repeat the last row. */
    private static void blockProducts(double[][] x, int i0, int j0, int f0, int f1, double[] sums) {
        int last = x.length - 1;
        double[] a0 = x[i0];
        double[] a1 = x[Math.min(i0 + 1, last)];
        double[] a2 = x[Math.min(i0 + 2, last)];
        double[] a3 = x[Math.min(i0 + 3, last)];
        double[] b0 = x[j0];
        double[] b1 = x[Math.min(j0 + 1, last)];
        double[] b2 = x[Math.min(j0 + 2, last)];
        double[] b3 = x[Math.min(j0 + 3, last)];
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int f = f0; f < f1; f++) {
            double u0 = a0[f], u1 = a1[f], u2 = a2[f], u3 = a3[f];
            double v0 = b0[f], v1 = b1[f], v2 = b2[f], v3 = b3[f];
            s00 += u0 * v0; s01 += u0 * v1; s02 += u0 * v2; s03 += u0 * v3;
            s10 += u1 * v0; s11 += u1 * v1; s12 += u1 * v2; s13 += u1 * v3;
            s20 += u2 * v0; s21 += u2 * v1; s22 += u2 * v2; s23 += u2 * v3;
            s30 += u3 * v0; s31 += u3 * v1; s32 += u3 * v2; s33 += u3 * v3;
        }
        sums[0] = s00; sums[1] = s01; sums[2] = s02; sums[3] = s03;
        sums[4] = s10; sums[5] = s11; sums[6] = s12; sums[7] = s13;
        sums[8] = s20; sums[9] = s21; sums[10] = s22; sums[11] = s23;
        sums[12] = s30; sums[13] = s31; sums[14] = s32; sums[15] = s33;
    }

    private static double[][] transpose(double[][] x) {
        double[][] t = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int f = 0; f < t.length; f++) {
                t[f][i] = x[i][f];
            }
        }
        return t;
    }
}
