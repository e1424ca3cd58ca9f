package io.seqclust.model.layer;

import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation over a batch of vectors. Training normalises with the batch's statistics and
 * updates the population estimates (momentum 0.1, unbiased variance, as PyTorch); inference uses
 * the population estimates.
 */
public final class BatchNorm {

    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    public final int size;
    public final Param gamma;
    public final Param beta;
    public final double[] runningMean;
    public final double[] runningVar;

    /** What backward needs of a training pass. */
    public record Trace(double[][] xHat, double[] invStd) {
    }

    /** What serving keeps of a trained layer: the affine parameters and the population statistics. */
    public record Inference(double[] gamma, double[] beta, double[] mean, double[] var) {

        public Inference {
            int size = gamma.length;
            if (beta.length != size || mean.length != size || var.length != size) {
                throw new IllegalArgumentException("batch-norm parameters of different sizes");
            }
        }

        /** Each feature's factor s = γ / √(σ² + ε), so that the layer gives s (x − μ) + β. */
        public double[] scales() {
            double[] s = new double[gamma.length];
            for (int j = 0; j < s.length; j++) {
                s[j] = gamma[j] / Math.sqrt(var[j] + EPS);
            }
            return s;
        }
    }

    public BatchNorm(String name, int size) {
        this.size = size;
        gamma = new Param(name + ".gamma", size).fill(1);
        beta = new Param(name + ".beta", size);
        runningMean = new double[size];
        runningVar = new double[size];
        Arrays.fill(runningVar, 1);
    }

    public List<Param> params() {
        return List.of(gamma, beta);
    }

    /** Training mode: normalises with the batch's statistics; y receives the output. */
    public Trace forwardTrain(double[][] x, double[][] y, boolean updateRunning) {
        int n = x.length;
        double[] mean = new double[size];
        double[] var = new double[size];
        for (double[] row : x) {
            for (int j = 0; j < size; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < size; j++) {
                double d = row[j] - mean[j];
                var[j] += d * d / n;
            }
        }
        double[] invStd = new double[size];
        for (int j = 0; j < size; j++) {
            invStd[j] = 1 / Math.sqrt(var[j] + EPS);
            if (updateRunning) {
                runningMean[j] = (1 - MOMENTUM) * runningMean[j] + MOMENTUM * mean[j];
                runningVar[j] = (1 - MOMENTUM) * runningVar[j] + MOMENTUM * var[j] * n / Math.max(1, n - 1);
            }
        }
        double[][] xHat = new double[n][size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                xHat[i][j] = (x[i][j] - mean[j]) * invStd[j];
                y[i][j] = gamma.value[j] * xHat[i][j] + beta.value[j];
            }
        }
        return new Trace(xHat, invStd);
    }

    /** The parameters and population statistics as they are now, copied. */
    public Inference snapshot() {
        return new Inference(gamma.value.clone(), beta.value.clone(), runningMean.clone(), runningVar.clone());
    }

    /** Accumulates dγ, dβ; returns dX. */
    public double[][] backward(Trace tr, double[][] dy) {
        int n = dy.length;
        double[] sumDy = new double[size];
        double[] sumDyXHat = new double[size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                sumDy[j] += dy[i][j];
                sumDyXHat[j] += dy[i][j] * tr.xHat()[i][j];
            }
        }
        for (int j = 0; j < size; j++) {
            gamma.grad[j] += sumDyXHat[j];
            beta.grad[j] += sumDy[j];
        }
        double[][] dx = new double[n][size];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                dx[i][j] = gamma.value[j] * tr.invStd()[j] / n
                        * (n * dy[i][j] - sumDy[j] - tr.xHat()[i][j] * sumDyXHat[j]);
            }
        }
        return dx;
    }
}
