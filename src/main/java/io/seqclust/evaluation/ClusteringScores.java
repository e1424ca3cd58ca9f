package io.seqclust.evaluation;

import io.seqclust.math.Hungarian;

/**
 * External clustering scores against true labels: ACC (best one-to-one matching of clusters to
 * classes, Hungarian), NMI (arithmetic-mean normalisation) and the Rand index. Labels only ever
 * score; they never reach training.
 */
public record ClusteringScores(double acc, double nmi, double randIndex, int n) {

    public static ClusteringScores of(int[] truth, int[] predicted) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many (> 0) true and predicted labels");
        }
        long[][] c = contingency(truth, predicted);
        return new ClusteringScores(acc(c, truth.length), nmi(c, truth.length), randIndex(c, truth.length), truth.length);
    }

    /**
     * Adjusted Rand index of two partitions of the same items (Hubert and Arabie): 1 when they are the same up
     * to renaming, about 0 for independent ones, symmetric.
     */
    public static double adjustedRandIndex(int[] a, int[] b) {
        PairCounts p = PairCounts.of(contingency(a, b));
        double expected = p.sameRows() * p.sameColumns() / choose2(a.length);
        double max = (p.sameRows() + p.sameColumns()) / 2;
        return max == expected ? 1.0 : (p.sameBoth() - expected) / (max - expected);
    }

    /** NMI of two partitions of the same items (symmetric). */
    public static double normalisedMutualInformation(int[] a, int[] b) {
        return nmi(contingency(a, b), a.length);
    }

    /** Rows: dense true classes; columns: dense predicted clusters. */
    static long[][] contingency(int[] truth, int[] predicted) {
        int[] t = dense(truth);
        int[] p = dense(predicted);
        long[][] c = new long[max(t) + 1][max(p) + 1];
        for (int i = 0; i < t.length; i++) {
            c[t[i]][p[i]]++;
        }
        return c;
    }

    static double acc(long[][] c, int n) {
        int size = Math.max(c.length, c[0].length);
        double[][] w = new double[size][size];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                w[i][j] = c[i][j];
            }
        }
        int[] match = Hungarian.maximise(w);
        double hits = 0;
        for (int i = 0; i < size; i++) {
            hits += w[i][match[i]];
        }
        return hits / n;
    }

    static double nmi(long[][] c, int n) {
        double[] rows = new double[c.length];
        double[] cols = new double[c[0].length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                rows[i] += c[i][j];
                cols[j] += c[i][j];
            }
        }
        double mi = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                if (c[i][j] > 0) {
                    mi += c[i][j] / (double) n * Math.log(c[i][j] * (double) n / (rows[i] * cols[j]));
                }
            }
        }
        double hTruth = entropy(rows, n);
        double hPred = entropy(cols, n);
        if (hTruth + hPred == 0) {
            return 1.0; // both partitions are a single block: identical
        }
        return 2 * mi / (hTruth + hPred);
    }

    static double randIndex(long[][] c, int n) {
        double pairs = n * (n - 1) / 2.0;
        if (pairs == 0) {
            return 1.0;
        }
        PairCounts p = PairCounts.of(c);
        // agreements = pairs together in both + pairs apart in both
        return (pairs + 2 * p.sameBoth() - p.sameRows() - p.sameColumns()) / pairs;
    }

    /** Pairs of items together in both partitions, in the rows' partition, and in the columns'. */
    private record PairCounts(double sameBoth, double sameRows, double sameColumns) {
        static PairCounts of(long[][] c) {
            double both = 0;
            double[] rows = new double[c.length];
            double[] cols = new double[c[0].length];
            for (int i = 0; i < c.length; i++) {
                for (int j = 0; j < c[i].length; j++) {
                    both += choose2(c[i][j]);
                    rows[i] += c[i][j];
                    cols[j] += c[i][j];
                }
            }
            double sameRows = 0;
            for (double r : rows) {
                sameRows += choose2(r);
            }
            double sameColumns = 0;
            for (double col : cols) {
                sameColumns += choose2(col);
            }
            return new PairCounts(both, sameRows, sameColumns);
        }
    }

    private static double choose2(double x) {
        return x * (x - 1) / 2;
    }

    private static double entropy(double[] counts, int n) {
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
    }

    private static int[] dense(int[] labels) {
        java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = ids.computeIfAbsent(labels[i], l -> ids.size());
        }
        return out;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format("ACC=%.3f NMI=%.3f RI=%.3f (n=%d)", acc, nmi, randIndex, n);
    }
}
