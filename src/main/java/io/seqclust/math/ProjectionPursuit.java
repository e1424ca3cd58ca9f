package io.seqclust.math;

import java.util.Random;

/**
 * The direction along which a set of points is most bimodal: the least kurtosis of their projection
 * (projection pursuit for clusters, Peña &amp; Prieto 2001). Two groups seen along the line between them project
 * to two lumps, kurtosis 1 when they are equal in size, where a Gaussian cloud reads 3 along every direction; so
 * the least-kurtosis direction finds a split even where it is not the largest variance, which is all that
 * principal axes and the graphs built on them follow.
 * <p>
 * The kurtosis is not convex on the sphere, so the search is nested: in the leading 2, 3, …, m coordinates in turn,
 * it refines the best of a few thousand random directions and the previous subspace's direction (so the result
 * only improves as coordinates are added), by gradient steps on the sphere that are kept only while they lower the
 * kurtosis.
 */
public final class ProjectionPursuit {

    /** Random directions drawn per subspace; the best few of them are refined. */
    static final int DRAWS = 4000;
    static final int REFINED = 4;
    private static final int STEPS = 300;

    private ProjectionPursuit() {
    }

    /** The kurtosis E[(p − p̄)⁴] / E[(p − p̄)²]² of the values; 3 for a Gaussian, 1 for two equal point masses. */
    public static double kurtosis(double[] p) {
        double mean = 0;
        for (double v : p) {
            mean += v;
        }
        mean /= p.length;
        double second = 0;
        double fourth = 0;
        for (double v : p) {
            double d = (v - mean) * (v - mean);
            second += d;
            fourth += d * d;
        }
        second /= p.length;
        return second > 1e-300 ? fourth / p.length / (second * second) : Double.POSITIVE_INFINITY;
    }

    /**
     * The unit direction over the first {@code m} coordinates of {@code y} (rows are points; the coordinates are
     * expected standardised and uncorrelated, as whitened principal components are) whose projection has the
     * least kurtosis found.
     */
    public static double[] leastKurtosis(double[][] y, int m, Random random) {
        if (m < 1 || m > y[0].length) {
            throw new IllegalArgumentException("m must be 1.." + y[0].length + ", was " + m);
        }
        double[] best = {1};
        for (int dims = 2; dims <= m; dims++) {
            best = refine(y, java.util.Arrays.copyOf(best, dims));
            double bestKurtosis = kurtosis(project(y, best));
            for (double[] start : bestRandom(y, dims, random)) {
                double[] refined = refine(y, start);
                double k = kurtosis(project(y, refined));
                if (k < bestKurtosis) {
                    best = refined;
                    bestKurtosis = k;
                }
            }
        }
        return best;
    }

    /** The rows of y projected on w, over w's length of leading coordinates. */
    public static double[] project(double[][] y, double[] w) {
        double[] p = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            p[i] = dot(y[i], w);
        }
        return p;
    }

    /** x · w over w's length of leading coordinates. */
    public static double dot(double[] x, double[] w) {
        double s = 0;
        for (int a = 0; a < w.length; a++) {
            s += x[a] * w[a];
        }
        return s;
    }

    private static double[][] bestRandom(double[][] y, int dims, Random random) {
        double[][] kept = new double[REFINED][];
        double[] keptKurtosis = new double[REFINED];
        java.util.Arrays.fill(keptKurtosis, Double.POSITIVE_INFINITY);
        for (int d = 0; d < DRAWS; d++) {
            double[] w = new double[dims];
            for (int a = 0; a < dims; a++) {
                w[a] = random.nextGaussian();
            }
            normalise(w);
            double k = kurtosis(project(y, w));
            int worst = 0;
            for (int r = 1; r < REFINED; r++) {
                worst = keptKurtosis[r] > keptKurtosis[worst] ? r : worst;
            }
            if (k < keptKurtosis[worst]) {
                kept[worst] = w;
                keptKurtosis[worst] = k;
            }
        }
        return java.util.Arrays.stream(kept).filter(java.util.Objects::nonNull).toArray(double[][]::new);
    }

    /**
     * Gradient steps on the sphere from w: the gradient of E[p⁴] is 4 E[p³ y], less its part along w; a step is kept
     * only if it lowers the kurtosis, and halved when it does not.
     */
    static double[] refine(double[][] y, double[] start) {
        double[] w = start.clone();
        normalise(w);
        double[] p = project(y, w);
        double current = kurtosis(p);
        double eta = 0.1;
        for (int step = 0; step < STEPS && eta >= 1e-5; step++) {
            double[] g = new double[w.length];
            for (int i = 0; i < y.length; i++) {
                double cube = p[i] * p[i] * p[i];
                for (int a = 0; a < w.length; a++) {
                    g[a] += cube * y[i][a];
                }
            }
            double along = 0;
            for (int a = 0; a < w.length; a++) {
                g[a] /= y.length;
                along += g[a] * w[a];
            }
            double[] next = new double[w.length];
            for (int a = 0; a < w.length; a++) {
                next[a] = w[a] - eta * (g[a] - along * w[a]);
            }
            normalise(next);
            double[] projected = project(y, next);
            double k = kurtosis(projected);
            if (k < current) {
                w = next;
                p = projected;
                current = k;
            } else {
                eta /= 2;
            }
        }
        return w;
    }

    private static void normalise(double[] w) {
        double norm = 0;
        for (double v : w) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int a = 0; a < w.length; a++) {
            w[a] = norm > 0 ? w[a] / norm : (a == 0 ? 1 : 0);
        }
    }
}
