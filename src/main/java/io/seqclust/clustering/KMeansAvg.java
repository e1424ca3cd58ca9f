package io.seqclust.clustering;

import io.seqclust.model.KMeans;
import io.seqclust.model.Softmax;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * The "time averaging" baseline of the RDDC paper: k-means on each sequence's per-dimension mean
 * plus its length, features standardised with the training window's statistics. Probabilities are
 * a softmax over negative squared distances to the centroids.
 */
public final class KMeansAvg implements ClusteringAlgorithm {

    public static final String NAME = "kmeans-avg";

    private final int k;
    private final int restarts;
    private final int maxIterations;

    public KMeansAvg(int k, int restarts, int maxIterations) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        this.k = k;
        this.restarts = restarts;
        this.maxIterations = maxIterations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Assigner train(List<double[][]> window, long seed, TrainingProgress progress) {
        if (window.size() < k) {
            throw new IllegalArgumentException("kmeans-avg needs at least k = " + k + " sequences, the window has " + window.size());
        }
        int dims = window.get(0)[0].length;
        double[][] features = new double[window.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = features(window.get(i));
        }
        int m = dims + 1;
        double[] mean = new double[m];
        double[] std = new double[m];
        for (double[] f : features) {
            for (int j = 0; j < m; j++) {
                mean[j] += f[j] / features.length;
            }
        }
        for (double[] f : features) {
            for (int j = 0; j < m; j++) {
                std[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / features.length;
            }
        }
        for (int j = 0; j < m; j++) {
            // a constant feature (all sequences equally long, say) carries no information: leave it unscaled
            std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1.0;
        }
        double[][] scaled = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            scaled[i] = standardise(features[i], mean, std);
        }
        KMeans.Result result = KMeans.fit(scaled, k, restarts, maxIterations, new Random(seed));
        progress.report(1, 1, result.inertia() / features.length);
        return new Trained(dims, mean, std, result.centroids());
    }

    /** Restores a model from {@link Assigner#payload()}. */
    public static Assigner restore(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int dims = in.readInt();
            int k = in.readInt();
            double[] mean = readVector(in, dims + 1);
            double[] std = readVector(in, dims + 1);
            double[][] centroids = new double[k][];
            for (int c = 0; c < k; c++) {
                centroids[c] = readVector(in, dims + 1);
            }
            return new Trained(dims, mean, std, centroids);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt kmeans-avg payload: " + e, e);
        }
    }

    /** Per-dimension time average, then the length. */
    static double[] features(double[][] values) {
        int dims = values[0].length;
        double[] f = new double[dims + 1];
        for (double[] row : values) {
            for (int d = 0; d < dims; d++) {
                f[d] += row[d];
            }
        }
        for (int d = 0; d < dims; d++) {
            f[d] /= values.length;
        }
        f[dims] = values.length;
        return f;
    }

    private static double[] standardise(double[] f, double[] mean, double[] std) {
        double[] z = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            z[j] = (f[j] - mean[j]) / std[j];
        }
        return z;
    }

    private static double[] readVector(DataInputStream in, int n) throws IOException {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private record Trained(int dims, double[] mean, double[] std, double[][] centroids) implements Assigner {

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public double[] probabilities(double[][] values) {
            double[] z = standardise(features(values), mean, std);
            double[] logits = new double[centroids.length];
            for (int c = 0; c < logits.length; c++) {
                logits[c] = -KMeans.squaredDistance(z, centroids[c]);
            }
            return Softmax.of(logits);
        }

        @Override
        public byte[] payload() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(dims);
                out.writeInt(centroids.length);
                for (double[] v : new double[][] {mean, std}) {
                    writeVector(out, v);
                }
                for (double[] c : centroids) {
                    writeVector(out, c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        private static void writeVector(DataOutputStream out, double[] v) throws IOException {
            for (double x : v) {
                out.writeDouble(x);
            }
        }
    }
}
