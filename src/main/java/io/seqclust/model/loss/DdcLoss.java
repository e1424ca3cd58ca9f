package io.seqclust.model.loss;

import java.util.Arrays;

/**
 * The loss of Deep Divergence-based Clustering (Kampffmeyer et al.), three terms on a batch's soft
 * assignments A (n × k) and hidden representations H (n × m), each a short function below:
 * {@link #clusterSeparation} (L1, the Cauchy-Schwarz divergence between clusters),
 * {@link #orthogonality} (L2, of the assignments) and {@link #simplexCloseness} (L3, the divergence of
 * the assignments' closeness to the simplex corners). Gradients in closed form, as derived in
 * shared/design/ddc-gradients.md. The kernel's σ² is a constant of the step (no gradient flows through it).
 */
public final class DdcLoss {

    static final double EPS = 1e-9;

    /** The names the terms go by in reports. */
    public static final String CLUSTER_SEPARATION = "cs-divergence";
    public static final String ORTHOGONALITY = "orthogonality";
    public static final String SIMPLEX = "simplex";

    /** Each term's weight: the DDC loss weighs them equally; the gradient checks switch them on one at a time. */
    public record Weights(double clusterSeparation, double orthogonality, double simplex) {
        public static final Weights EQUAL = new Weights(1, 1, 1);
    }

    /** The weighted terms, and the gradients of their sum with respect to A and H (the latter through the kernel only). */
    public record Result(LossTerms terms, double[][] dA, double[][] dH) {
    }

    /**
     * One term's value and gradients. {@code dA} is ∂/∂A; {@code dK} is ∂/∂K, or null when the term does not
     * read the kernel.
     */
    record Term(double value, double[][] dA, double[][] dK) {
    }

    /** The value of d(X) and G = ∂d/∂N, with N = Xᵀ K X (upper triangle and diagonal). */
    record Divergence(double value, double[][] g) {
    }

    private DdcLoss() {
    }

    public static Result evaluate(double[][] a, double[][] h, double sigma2) {
        return evaluate(a, h, sigma2, Weights.EQUAL);
    }

    public static Result evaluate(double[][] a, double[][] h, double sigma2, Weights w) {
        double[][] kernel = kernel(squaredDistances(h), sigma2);
        Term l1 = clusterSeparation(a, kernel, w.clusterSeparation());
        Term l2 = orthogonality(a, w.orthogonality());
        Term l3 = simplexCloseness(a, kernel, w.simplex());
        double[][] dA = plus(plus(l1.dA(), l2.dA()), l3.dA());
        double[][] dH = kernelBackward(plus(l1.dK(), l3.dK()), kernel, h, sigma2);
        return new Result(LossTerms.of(CLUSTER_SEPARATION, l1.value(), ORTHOGONALITY, l2.value(), SIMPLEX, l3.value()),
                dA, dH);
    }

    /** L1 = d(A): the clusters' Cauchy-Schwarz divergence under the kernel. */
    static Term clusterSeparation(double[][] a, double[][] kernel, double weight) {
        Divergence d = divergence(a, kernel, weight);
        double[][] g = d.g();
        return new Term(d.value(), times(kernel, times(a, symmetric(g))), times(a, times(g, transpose(a))));
    }

    /** L2 = 2/(n(n−1)) Σ_{q<r} (A Aᵀ)_qr = (‖Aᵀ 1‖² − ‖A‖²_F) / (n(n−1)). */
    static Term orthogonality(double[][] a, double weight) {
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
        double scale = weight * 2 / (n * (n - 1.0));
        double[][] dA = new double[n][k];
        for (int q = 0; q < n; q++) {
            for (int i = 0; i < k; i++) {
                dA[q][i] = scale * (colSum[i] - a[q][i]);
            }
        }
        return new Term(weight * ((sq - frob) / (n * (n - 1.0))), dA, null);
    }

    /** L3 = d(M) with M_qi = exp(−‖α_q − e_i‖²): how far each assignment is from a simplex corner. */
    static Term simplexCloseness(double[][] a, double[][] kernel, double weight) {
        double[][] m = closeness(a);
        Divergence d = divergence(m, kernel, weight);
        double[][] gamma = times(kernel, times(m, symmetric(d.g())));
        int n = a.length;
        int k = a[0].length;
        double[][] dA = new double[n][k];
        for (int q = 0; q < n; q++) {
            double rowSum = 0;
            double[] qRow = new double[k];
            for (int i = 0; i < k; i++) {
                qRow[i] = gamma[q][i] * m[q][i];
                rowSum += qRow[i];
            }
            for (int j = 0; j < k; j++) {
                dA[q][j] = 2 * qRow[j] - 2 * a[q][j] * rowSum;
            }
        }
        return new Term(d.value(), dA, times(m, times(d.g(), transpose(m))));
    }

    /**
     * d(X) = 2/(k(k−1)) Σ_{i<j} N_ij / √(N_ii N_jj) with N = Xᵀ K X, numerators clamped at ≥ ε and the
     * product at ≥ ε² (the authors' d_cs); G = ∂d/∂N, zero where a clamp is active. Both scaled by weight.
     */
    static Divergence divergence(double[][] x, double[][] kernel, double weight) {
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
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= weight;
            }
        }
        return new Divergence(weight * value, g);
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

    /** dL/dH from dL/dK through K_qr = exp(−‖h_q − h_r‖² / 2σ²). */
    private static double[][] kernelBackward(double[][] dK, double[][] kernel, double[][] h, double sigma2) {
        int n = h.length;
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
        return dH;
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
    static double[][] closeness(double[][] a) {
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
