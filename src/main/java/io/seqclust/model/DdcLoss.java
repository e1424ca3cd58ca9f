package io.seqclust.model;

import java.util.Arrays;

/**
 * The loss of Deep Divergence-based Clustering (Kampffmeyer et al.), three equally weighted terms on
 * a batch's soft assignments A (n × k) and hidden representations H (n × m):
 * L1 the Cauchy-Schwarz divergence between clusters, L2 the orthogonality of assignments, L3 the
 * divergence of their closeness to the simplex corners. Gradients in closed form, as derived in
 * shared/design/ddc-gradients.md. σ² is a constant of the step (no gradient flows through it).
 */
public final class DdcLoss {

    static final double EPS = 1e-9;

    /** Loss terms and the gradients with respect to A and H (the latter through the kernel only). */
    public record Result(double l1, double l2, double l3, double[][] dA, double[][] dH) {
        public double total() {
            return l1 + l2 + l3;
        }
    }

    /** The value of d(X) and what its gradient needs. */
    record Divergence(double value, double[][] g) {
        Divergence scaled(double w) {
            double[][] gw = new double[g.length][];
            for (int i = 0; i < g.length; i++) {
                gw[i] = g[i].clone();
                for (int j = 0; j < gw[i].length; j++) {
                    gw[i][j] *= w;
                }
            }
            return new Divergence(w * value, gw);
        }
    }

    private DdcLoss() {
    }

    public static Result evaluate(double[][] a, double[][] h, double sigma2) {
        return evaluate(a, h, sigma2, 1, 1, 1);
    }

    /** The loss with each term weighted, so that each term's gradient can be checked on its own. */
    static Result evaluate(double[][] a, double[][] h, double sigma2, double w1, double w2, double w3) {
        int n = a.length;
        double[][] d = squaredDistances(h);
        double[][] kernel = kernel(d, sigma2);
        double[][] m = simplexCloseness(a);
        Divergence d1 = divergence(a, kernel).scaled(w1);
        Divergence d3 = divergence(m, kernel).scaled(w3);
        double l2 = w2 * orthogonality(a);

        double[][] dA = plus(times(kernel, times(a, symmetric(d1.g()))), orthogonalityGradient(a, w2));
        double[][] gamma = times(kernel, times(m, symmetric(d3.g())));
        int k = a[0].length;
        for (int q = 0; q < n; q++) {
            double rowSum = 0;
            double[] qRow = new double[k];
            for (int i = 0; i < k; i++) {
                qRow[i] = gamma[q][i] * m[q][i];
                rowSum += qRow[i];
            }
            for (int j = 0; j < k; j++) {
                dA[q][j] += 2 * qRow[j] - 2 * a[q][j] * rowSum;
            }
        }

        // through the kernel to H: dL/dK = A G1 Aᵀ + M G3 Mᵀ
        double[][] dK = plus(times(a, times(d1.g(), transpose(a))), times(m, times(d3.g(), transpose(m))));
        double[][] e = new double[n][n];
        for (int q = 0; q < n; q++) {
            for (int r = 0; r < n; r++) {
                double eqr = dK[q][r] * kernel[q][r] * (-1 / (2 * sigma2));
                e[q][r] += eqr;
                e[r][q] += eqr;
            }
        }
        int dims = h[0].length;
        double[][] dH = new double[n][dims];
        for (int q = 0; q < n; q++) {
            for (int r = 0; r < n; r++) {
                double eqr = e[q][r];
                if (eqr == 0) {
                    continue;
                }
                for (int j = 0; j < dims; j++) {
                    dH[q][j] += 2 * eqr * (h[q][j] - h[r][j]);
                }
            }
        }
        return new Result(d1.value(), l2, d3.value(), dA, dH);
    }

    /** σ² = 0.15 × the median of all n² squared pairwise distances (diagonal zeros included). */
    public static double sigma2(double[][] h) {
        double[][] d = squaredDistances(h);
        double[] all = new double[d.length * d.length];
        for (int q = 0; q < d.length; q++) {
            System.arraycopy(d[q], 0, all, q * d.length, d.length);
        }
        Arrays.sort(all);
        int mid = all.length / 2;
        double median = all.length % 2 == 1 ? all[mid] : (all[mid - 1] + all[mid]) / 2;
        // a collapsed batch (all h equal) would give σ² = 0; keep the kernel defined
        return Math.max(0.15 * median, 1e-12);
    }

    static double[][] squaredDistances(double[][] h) {
        int n = h.length;
        double[][] d = new double[n][n];
        for (int q = 0; q < n; q++) {
            for (int r = q + 1; r < n; r++) {
                double s = 0;
                for (int j = 0; j < h[q].length; j++) {
                    double diff = h[q][j] - h[r][j];
                    s += diff * diff;
                }
                d[q][r] = s;
                d[r][q] = s;
            }
        }
        return d;
    }

    static double[][] kernel(double[][] d, double sigma2) {
        int n = d.length;
        double[][] k = new double[n][n];
        for (int q = 0; q < n; q++) {
            for (int r = 0; r < n; r++) {
                k[q][r] = Math.exp(-d[q][r] / (2 * sigma2));
            }
        }
        return k;
    }

    /** M_qi = exp(−‖α_q − e_i‖²). */
    static double[][] simplexCloseness(double[][] a) {
        int n = a.length;
        int k = a[0].length;
        double[][] m = new double[n][k];
        for (int q = 0; q < n; q++) {
            double norm2 = 0;
            for (double v : a[q]) {
                norm2 += v * v;
            }
            for (int i = 0; i < k; i++) {
                m[q][i] = Math.exp(-(norm2 - 2 * a[q][i] + 1));
            }
        }
        return m;
    }

    /**
     * d(X) = 2/(k(k−1)) Σ_{i<j} N_ij / √(N_ii N_jj) with N = Xᵀ K X, numerators clamped at ≥ ε and the
     * product at ≥ ε²; G = ∂d/∂N (upper triangle and diagonal), zero where a clamp is active.
     */
    static Divergence divergence(double[][] x, double[][] kernel) {
        int k = x[0].length;
        double[][] nMat = times(transpose(x), times(kernel, x));
        double c = 2.0 / (k * (k - 1.0));
        double value = 0;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double numerator = Math.max(nMat[i][j], EPS);
                double product = nMat[i][i] * nMat[j][j];
                double root = Math.sqrt(Math.max(product, EPS * EPS));
                value += c * numerator / root;
                if (product > EPS * EPS) {
                    if (nMat[i][j] > EPS) {
                        g[i][j] = c / root;
                    }
                    double ratio = numerator / root;
                    g[i][i] -= c / 2 * ratio / nMat[i][i];
                    g[j][j] -= c / 2 * ratio / nMat[j][j];
                }
            }
        }
        return new Divergence(value, g);
    }

    /** 2/(n(n−1)) Σ_{q<r} (A Aᵀ)_qr = (‖Aᵀ 1‖² − ‖A‖²_F) / (n(n−1)). */
    static double orthogonality(double[][] a) {
        int n = a.length;
        int k = a[0].length;
        double[] colSum = new double[k];
        double frob = 0;
        for (double[] row : a) {
            for (int i = 0; i < k; i++) {
                colSum[i] += row[i];
                frob += row[i] * row[i];
            }
        }
        double sq = 0;
        for (double s : colSum) {
            sq += s * s;
        }
        return (sq - frob) / (n * (n - 1.0));
    }

    static double[][] orthogonalityGradient(double[][] a, double weight) {
        int n = a.length;
        int k = a[0].length;
        double[] colSum = new double[k];
        for (double[] row : a) {
            for (int i = 0; i < k; i++) {
                colSum[i] += row[i];
            }
        }
        double scale = weight * 2 / (n * (n - 1.0));
        double[][] g = new double[n][k];
        for (int q = 0; q < n; q++) {
            for (int i = 0; i < k; i++) {
                g[q][i] = scale * (colSum[i] - a[q][i]);
            }
        }
        return g;
    }

    /** ∂L/∂Z for A = softmax(Z) row-wise. */
    public static double[][] softmaxBackward(double[][] a, double[][] dA) {
        double[][] dz = new double[a.length][a[0].length];
        for (int q = 0; q < a.length; q++) {
            double dot = 0;
            for (int i = 0; i < a[q].length; i++) {
                dot += dA[q][i] * a[q][i];
            }
            for (int i = 0; i < a[q].length; i++) {
                dz[q][i] = a[q][i] * (dA[q][i] - dot);
            }
        }
        return dz;
    }

    private static double[][] symmetric(double[][] g) {
        return plus(g, transpose(g));
    }

    static double[][] times(double[][] x, double[][] y) {
        int rows = x.length;
        int inner = y.length;
        int cols = y[0].length;
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < inner; p++) {
                double v = x[i][p];
                if (v == 0) {
                    continue;
                }
                double[] yRow = y[p];
                double[] oRow = out[i];
                for (int j = 0; j < cols; j++) {
                    oRow[j] += v * yRow[j];
                }
            }
        }
        return out;
    }

    static double[][] transpose(double[][] x) {
        double[][] t = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                t[j][i] = x[i][j];
            }
        }
        return t;
    }

    private static double[][] plus(double[][] x, double[][] y) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] + y[i][j];
            }
        }
        return out;
    }
}
