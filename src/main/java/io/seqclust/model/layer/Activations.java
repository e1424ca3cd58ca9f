package io.seqclust.model.layer;

import io.seqclust.math.SoftAssignment;

/** Softmax (numerically stable) and ReLU, forward and backward, and the index of the largest value. */
public final class Activations {

    private Activations() {
    }

    public static double[] softmax(double[] logits) {
        return SoftAssignment.softmax(logits);
    }

    public static double[][] softmaxRows(double[][] z) {
        double[][] a = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            a[i] = softmax(z[i]);
        }
        return a;
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

    public static double[][] relu(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = Math.max(0, x[i][j]);
            }
        }
        return y;
    }

    /** Zeroes dy where the ReLU's input was not positive (in place); returns dy. */
    public static double[][] reluBackward(double[][] pre, double[][] dy) {
        for (int i = 0; i < pre.length; i++) {
            for (int j = 0; j < pre[i].length; j++) {
                if (pre[i][j] <= 0) {
                    dy[i][j] = 0;
                }
            }
        }
        return dy;
    }

    /** The index of the largest value (the first of equals). */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
