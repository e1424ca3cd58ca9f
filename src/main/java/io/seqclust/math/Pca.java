package io.seqclust.math;

import java.util.stream.IntStream;

/**
 * Principal components of standardised rows: the fewest leading axes that explain a share of the variance,
 * at most a given number. Fitted on the n × p data through whichever Gram matrix is smaller (n × n or
 * p × p), so that a few hundred sequences with thousands of features cost a few hundred squared.
 *
 * @param axes c × p, orthonormal rows
 */
public record Pca(double[][] axes) {

    public static Pca fit(double[][] x, double varianceShare, int maxComponents) {
        int n = x.length;
        int p = x[0].length;
        boolean byRows = n <= p;
        int size = byRows ? n : p;
        double[][] gram = new double[size][size];
        // row i of the upper triangle (and its mirror) per task: no cell is written by two
        IntStream.range(0, size).parallel().forEach(i -> {
            for (int j = i; j < size; j++) {
                double s = 0;
                if (byRows) {
                    for (int f = 0; f < p; f++) {
                        s += x[i][f] * x[j][f];
                    }
                } else {
                    for (double[] row : x) {
                        s += row[i] * row[j];
                    }
                }
                gram[i][j] = s;
                gram[j][i] = s;
            }
        });
        SymmetricEigen.Decomposition eig = SymmetricEigen.decompose(gram, size);
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
        double[][] axes = new double[c][];
        for (int a = 0; a < c; a++) {
            if (byRows) {
                // an eigenvector u of X Xᵀ gives the axis Xᵀ u / √λ
                double[] axis = new double[p];
                double[] u = eig.vectors()[a];
                for (int i = 0; i < n; i++) {
                    for (int f = 0; f < p; f++) {
                        axis[f] += u[i] * x[i][f];
                    }
                }
                double norm = Math.sqrt(Math.max(eig.values()[a], 1e-300));
                for (int f = 0; f < p; f++) {
                    axis[f] /= norm;
                }
                axes[a] = axis;
            } else {
                axes[a] = eig.vectors()[a];
            }
        }
        return new Pca(axes);
    }

    public double[] project(double[] row) {
        double[] z = new double[axes.length];
        for (int a = 0; a < axes.length; a++) {
            z[a] = ProjectionPursuit.dot(row, axes[a]);
        }
        return z;
    }
}
