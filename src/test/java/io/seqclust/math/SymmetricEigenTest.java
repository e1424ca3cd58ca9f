package io.seqclust.math;

import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymmetricEigenTest {

    @Test
    void leadingPairsAgreeWithTheFullDecomposition() {
        Random random = new Random(3);
        for (int n : new int[] {1, 2, 3, 17, 120}) {
            double[][] x = Gaussian.matrix(random, n, n + 5);
            double[][] s = gram(x);
            int k = Math.min(n, 12);
            SymmetricEigen.Decomposition fast = SymmetricEigen.decompose(s, k);
            SymmetricEigen.Decomposition full = SymmetricEigen.full(s, k);
            double scale = full.values()[0];
            assertEquals(n, fast.values().length);
            for (int c = 0; c < n; c++) {
                assertEquals(full.values()[c], fast.values()[c], 1e-11 * scale, "value " + c + " of n = " + n);
            }
            for (int c = 0; c < k; c++) {
                double alike = Math.abs(ProjectionPursuit.dot(fast.vectors()[c], full.vectors()[c]));
                assertEquals(1, alike, 1e-9, "vector " + c + " of n = " + n);
                assertTrue(residual(s, fast.values()[c], fast.vectors()[c]) < 1e-11 * scale, "residual " + c + " of n = " + n);
            }
        }
    }

    /**
     * A graph of three pieces: the normalised affinity's eigenvalue 1 three times over, as spectral clustering meets
     * when the graph falls apart. Any orthonormal basis of that eigenspace is right; two equal vectors are not.
     */
    @Test
    void aRepeatedEigenvalueGetsAnOrthonormalBasisOfItsEigenspace() {
        int n = 12;
        double[][] s = new double[n][n];
        int[] piece = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
        int[] sizes = {4, 3, 5};
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = piece[i] == piece[j] ? 1.0 / sizes[piece[i]] : 0;
            }
        }
        SymmetricEigen.Decomposition eig = SymmetricEigen.decompose(s, 3);
        for (int a = 0; a < 3; a++) {
            assertEquals(1, eig.values()[a], 1e-12);
            assertTrue(residual(s, 1, eig.vectors()[a]) < 1e-12);
            for (int b = 0; b < 3; b++) {
                assertEquals(a == b ? 1 : 0, ProjectionPursuit.dot(eig.vectors()[a], eig.vectors()[b]), 1e-12);
            }
        }
        assertEquals(0, eig.values()[3], 1e-12);
        // the basis spans the pieces' indicators: each piece's rows project to the same point
        double[][] full = SymmetricEigen.full(s, 3).vectors();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(projector(full, i, j), projector(eig.vectors(), i, j), 1e-12);
            }
        }
    }

    @Test
    void theZeroMatrixAndTheIdentityGetOrthonormalVectors() {
        for (double diagonal : new double[] {0, 1}) {
            double[][] s = new double[5][5];
            for (int i = 0; i < 5; i++) {
                s[i][i] = diagonal;
            }
            SymmetricEigen.Decomposition eig = SymmetricEigen.decompose(s, 5);
            for (int a = 0; a < 5; a++) {
                assertEquals(diagonal, eig.values()[a], 1e-15);
                for (int b = 0; b < 5; b++) {
                    assertEquals(a == b ? 1 : 0, ProjectionPursuit.dot(eig.vectors()[a], eig.vectors()[b]), 1e-12);
                }
            }
        }
    }

    /** The second-difference matrix: eigenvalues 2 − 2 cos(jπ / (n + 1)), eigenvectors sin(ijπ / (n + 1)). */
    @Test
    void inverseIterationFindsTheSecondDifferenceMatrixsKnownVectors() {
        int n = 40;
        double[] diag = new double[n];
        double[] off = new double[n - 1];
        Arrays.fill(diag, 2);
        Arrays.fill(off, -1);
        double[] values = new double[n];
        for (int j = 0; j < n; j++) {
            values[j] = 2 - 2 * Math.cos((n - j) * Math.PI / (n + 1));
        }
        double[][] vectors = InverseIteration.vectors(diag, off, values);
        for (int j = 0; j < n; j++) {
            double[] exact = new double[n];
            for (int i = 0; i < n; i++) {
                exact[i] = Math.sin((i + 1) * (n - j) * Math.PI / (n + 1));
            }
            double length = Math.sqrt(ProjectionPursuit.dot(exact, exact));
            assertEquals(1, Math.abs(ProjectionPursuit.dot(exact, vectors[j])) / length, 1e-12, "vector " + j);
        }
    }

    private static double[][] gram(double[][] x) {
        int n = x.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = ProjectionPursuit.dot(x[i], x[j]);
            }
        }
        return s;
    }

    private static double residual(double[][] s, double value, double[] v) {
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double r = ProjectionPursuit.dot(s[i], v) - value * v[i];
            sum += r * r;
        }
        return Math.sqrt(sum);
    }

    private static double projector(double[][] vectors, int i, int j) {
        double p = 0;
        for (double[] v : vectors) {
            p += v[i] * v[j];
        }
        return p;
    }
}
