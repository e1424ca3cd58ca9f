package io.seqclust.math;

import java.util.Random;

/**
 * Eigenvectors of a symmetric tridiagonal matrix for eigenvalues already known, by inverse iteration (LAPACK's
 * {@code dstein}, simplified): each vector is a few solves of (T − λI) y = x, O(n) each. Vectors whose eigenvalues
 * lie closer than {@link #CLUSTER} · ‖T‖ are kept orthogonal to one another explicitly, since inverse iteration alone
 * would return the same direction of a nearly repeated eigenvalue again; equal eigenvalues are moved apart by a few
 * units in the last place first, so that each solve is distinct.
 */
final class InverseIteration {

    /** Iterations per vector: the error shrinks by |λ − λ̂| / gap per solve, and λ̂ is accurate to rounding. */
    static final int ITERATIONS = 3;
    /** Eigenvalues closer than this share of ‖T‖ are a cluster whose vectors are orthogonalised (dstein's 10⁻³). */
    static final double CLUSTER = 1e-3;
    private static final double EPS = Math.ulp(1.0);

    private InverseIteration() {
    }

    /**
     * The unit eigenvectors of T (diagonal {@code diag}, off-diagonal {@code off}, n − 1 of it) for the given
     * eigenvalues, in their order; eigenvalues in descending order, as they are accurate to rounding (a symmetric QR
     * algorithm's, or bisection's). The start vectors are drawn from a fixed seed, so the result is reproducible.
     */
    static double[][] vectors(double[] diag, double[] off, double[] values) {
        int n = diag.length;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(diag[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i + 1 < n ? Math.abs(off[i]) : 0));
        }
        double[][] vectors = new double[values.length][];
        if (norm == 0) {
            for (int j = 0; j < values.length; j++) {
                vectors[j] = new double[n];
                vectors[j][j] = 1;
            }
            return vectors;
        }
        double tiny = EPS * norm;
        Random random = new Random(1);
        int clusterStart = 0;
        double shift = Double.NaN;
        for (int j = 0; j < values.length; j++) {
            double previous = shift;
            shift = values[j];
            if (j > 0 && values[j - 1] - values[j] > CLUSTER * norm) {
                clusterStart = j;
            }
            double separation = 10 * EPS * Math.max(Math.abs(shift), tiny);
            if (j > 0 && previous - shift < separation) {
                shift = previous - separation;
            }
            Factorisation lu = Factorisation.of(diag, off, shift, tiny);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = random.nextDouble() * 2 - 1;
            }
            for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                scale(x, tiny / maxAbs(x));
                lu.solve(x);
                for (int c = clusterStart; c < j; c++) {
                    double dot = ProjectionPursuit.dot(vectors[c], x);
                    for (int i = 0; i < n; i++) {
                        x[i] -= dot * vectors[c][i];
                    }
                }
                double length = Math.sqrt(ProjectionPursuit.dot(x, x));
                if (!(length > 0) || !Double.isFinite(length)) {
                    throw new ArithmeticException("inverse iteration failed for eigenvalue " + values[j] + " (n = " + n + ")");
                }
                scale(x, 1 / length);
            }
            vectors[j] = x;
        }
        return vectors;
    }

    /**
     * T − λI = P L U with partial pivoting (LAPACK's {@code dgttrf}): U's diagonal and two superdiagonals, L's
     * multipliers, and whether each step swapped rows. A pivot smaller than {@code tiny} is raised to it, keeping its
     * sign: at an eigenvalue T − λI is singular to rounding, and the solve's growth in that direction is the point.
     */
    record Factorisation(double[] d, double[] du, double[] du2, double[] dl, boolean[] swapped) {

        static Factorisation of(double[] diag, double[] off, double shift, double tiny) {
            int n = diag.length;
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = diag[i] - shift;
            }
            double[] du = new double[Math.max(n - 1, 0)];
            double[] dl = new double[du.length];
            System.arraycopy(off, 0, du, 0, du.length);
            System.arraycopy(off, 0, dl, 0, dl.length);
            double[] du2 = new double[Math.max(n - 2, 0)];
            boolean[] swapped = new boolean[du.length];
            for (int i = 0; i < n - 1; i++) {
                if (Math.abs(d[i]) >= Math.abs(dl[i])) {
                    d[i] = raised(d[i], tiny);
                    double fact = dl[i] / d[i];
                    dl[i] = fact;
                    d[i + 1] -= fact * du[i];
                } else {
                    double fact = d[i] / dl[i];
                    d[i] = dl[i];
                    dl[i] = fact;
                    double above = du[i];
                    du[i] = d[i + 1];
                    d[i + 1] = above - fact * d[i + 1];
                    if (i < n - 2) {
                        du2[i] = du[i + 1];
                        du[i + 1] = -fact * du[i + 1];
                    }
                    swapped[i] = true;
                }
            }
            d[n - 1] = raised(d[n - 1], tiny);
            return new Factorisation(d, du, du2, dl, swapped);
        }

        /** x := (T − λI)⁻¹ x. */
        void solve(double[] x) {
            int n = d.length;
            for (int i = 0; i < n - 1; i++) {
                if (swapped[i]) {
                    double top = x[i];
                    x[i] = x[i + 1];
                    x[i + 1] = top - dl[i] * x[i];
                } else {
                    x[i + 1] -= dl[i] * x[i];
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = x[i];
                if (i + 1 < n) {
                    s -= du[i] * x[i + 1];
                }
                if (i + 2 < n) {
                    s -= du2[i] * x[i + 2];
                }
                x[i] = s / d[i];
            }
        }

        private static double raised(double pivot, double tiny) {
            return Math.abs(pivot) >= tiny ? pivot : pivot < 0 ? -tiny : tiny;
        }
    }

    private static double maxAbs(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static void scale(double[] x, double factor) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= factor;
        }
    }
}
