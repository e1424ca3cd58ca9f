package io.seqclust.math;

import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcaTest {

    /** Data on a 2-D plane in 6-D, plus a little noise: two components hold 90 % of it, orthonormal. */
    private static double[][] plane(Random r, int n) {
        double[][] x = new double[n][6];
        for (double[] row : x) {
            double a = 3 * r.nextGaussian();
            double b = 2 * r.nextGaussian();
            for (int f = 0; f < 6; f++) {
                row[f] = a * (f % 2 == 0 ? 1 : -1) + b * (f < 3 ? 1 : 0) + 0.01 * r.nextGaussian();
            }
        }
        double[] mean = new double[6];
        for (double[] row : x) {
            for (int f = 0; f < 6; f++) {
                mean[f] += row[f] / n;
            }
        }
        for (double[] row : x) {
            for (int f = 0; f < 6; f++) {
                row[f] -= mean[f];
            }
        }
        return x;
    }

    @Test
    void keepsTheComponentsThatExplainTheShareAskedFor() {
        Pca pca = Pca.fit(plane(new Random(1), 200), 0.9, 50);
        assertEquals(2, pca.axes().length);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double dot = 0;
                for (int f = 0; f < 6; f++) {
                    dot += pca.axes()[a][f] * pca.axes()[b][f];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-9);
            }
        }
        assertEquals(1, Pca.fit(plane(new Random(1), 200), 0.9, 1).axes().length, "at most the components asked for");
    }

    /** Fewer rows than features goes through the rows' Gram matrix: the same axes, up to sign. */
    @Test
    void bothGramMatricesGiveTheSameAxes() {
        double[][] x = plane(new Random(2), 5);
        Pca byRows = Pca.fit(x, 0.999999, 50);
        double[][] tall = new double[10][];
        for (int i = 0; i < 10; i++) {
            tall[i] = x[i % 5].clone(); // every row twice: the same covariance, doubled
        }
        Pca byFeatures = Pca.fit(tall, 0.999999, 50);
        for (int a = 0; a < 2; a++) {
            double dot = 0;
            for (int f = 0; f < 6; f++) {
                dot += byRows.axes()[a][f] * byFeatures.axes()[a][f];
            }
            assertTrue(Math.abs(Math.abs(dot) - 1) < 1e-6, "axis " + a + ": |cos| " + Math.abs(dot));
        }
    }

    /** The blocked Gram matrix equals the plain dot products, for row counts that do not fill a block and features over several slices. */
    @Test
    void gramMatrixEqualsThePlainDotProducts() {
        Random r = new Random(3);
        for (int n : new int[] {1, 2, 5, 8, 11}) {
            double[][] x = Gaussian.matrix(r, n, 1100);
            double[][] g = Pca.rowGram(x);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(ProjectionPursuit.dot(x[i], x[j]), g[i][j], 1e-9, "n " + n + ", cell " + i + "," + j);
                }
            }
        }
    }

    /** Four axes per pass, and the ones left over, give each row's dot product with each axis. */
    @Test
    void projectionIsTheDotProductWithEachAxis() {
        Random r = new Random(4);
        double[][] axes = Gaussian.matrix(r, 6, 30);
        double[] row = axes[5].clone();
        double[] z = new Pca(axes).project(row);
        for (int a = 0; a < axes.length; a++) {
            assertEquals(ProjectionPursuit.dot(row, axes[a]), z[a], 1e-9, "axis " + a);
        }
    }
}
