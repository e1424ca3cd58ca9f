package io.seqclust.model.layer;

/**
 * The dense kernels every layer reduces to, written as row sweeps (axpy loops the JIT vectorises)
 * rather than dot products (reductions it does not).
 */
public final class Kernels {

    private Kernels() {
    }

    /** out = b + Σ_j v[j] · wT[j, :], wT cols × rows (W transposed). */
    public static void axpyAffine(double[] wT, double[] b, double[] v, double[] out, int rows) {
        System.arraycopy(b, 0, out, 0, rows);
        int j = 0;
        for (; j + 4 <= v.length; j += 4) {
            axpy4(v[j], wT, j * rows, v[j + 1], wT, (j + 1) * rows, v[j + 2], wT, (j + 2) * rows,
                    v[j + 3], wT, (j + 3) * rows, out, 0, rows);
        }
        for (; j < v.length; j++) {
            axpy(v[j], wT, j * rows, out, 0, rows);
        }
    }

    public static double[] transpose(double[] w, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = w[i * cols + j];
            }
        }
        return t;
    }

    /** out = W v + b, W rows × cols. */
    public static void affine(double[] w, double[] b, double[] v, double[] out, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            double s = b[i];
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                s += w[base + j] * v[j];
            }
            out[i] = s;
        }
    }

    /** out += Wᵀ u, W rows × cols: row i of W scaled by u[i], summed. */
    public static void transposedTimes(double[] w, double[] u, double[] out, int rows, int cols) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            axpy4(u[i], w, i * cols, u[i + 1], w, (i + 1) * cols, u[i + 2], w, (i + 2) * cols,
                    u[i + 3], w, (i + 3) * cols, out, 0, cols);
        }
        for (; i < rows; i++) {
            axpy(u[i], w, i * cols, out, 0, cols);
        }
    }

    /** g += Σ_s u[s] v[s]ᵀ, g rows × cols, over the steps s of u (v may have more rows; they are not read). */
    public static void outerSum(double[][] u, double[][] v, double[] g, int rows, int cols) {
        int steps = u.length;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int s = 0;
            for (; s + 4 <= steps; s += 4) {
                axpy4(u[s][i], v[s], 0, u[s + 1][i], v[s + 1], 0, u[s + 2][i], v[s + 2], 0,
                        u[s + 3][i], v[s + 3], 0, g, base, cols);
            }
            for (; s < steps; s++) {
                axpy(u[s][i], v[s], 0, g, base, cols);
            }
        }
    }

    /** g += u vᵀ, g rows × cols: row i of g gains v scaled by u[i]. */
    public static void outer(double[] u, double[] v, double[] g, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            if (u[i] != 0) {
                axpy(u[i], v, 0, g, i * cols, cols);
            }
        }
    }

    public static void add(double[] acc, double[] v) {
        for (int i = 0; i < v.length; i++) {
            acc[i] += v[i];
        }
    }

    public static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /**
     * y[yOff..yOff+n) += Σ_q a_q · x_q[o_q..o_q+n): four axpys in one sweep, so y is loaded and stored once
     * per four multiply-adds instead of once per one (the kernels are bound by loads and stores, not by
     * arithmetic).
     */
    private static void axpy4(double a0, double[] x0, int o0, double a1, double[] x1, int o1, double a2, double[] x2, int o2,
                              double a3, double[] x3, int o3, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a0 * x0[o0 + j] + a1 * x1[o1 + j] + a2 * x2[o2 + j] + a3 * x3[o3 + j];
        }
    }

    /** y[yOff..yOff+n) += a · x[xOff..xOff+n): the loop every kernel here reduces to, which the JIT vectorises. */
    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }
}
