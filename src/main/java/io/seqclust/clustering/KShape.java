package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.math.CrossCorrelation;
import io.seqclust.math.SoftAssignment;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * k-Shape (Paparrizos & Gravano, SIGMOD 2015): k-means under the shape-based distance SBD(x, c) = 1 − the
 * largest normalised cross-correlation of x and c over all lags (so that shifts and scale do not count),
 * with each centroid the shape that correlates most with its aligned members — the leading eigenvector of
 * Yᵀ Y, Y the members shifted onto the centroid and z-normalised. Sequences are z-normalised per channel;
 * multichannel sequences correlate over all channels at one lag; sequences of different lengths are
 * zero-padded to the longest. Serving: SBD to each centroid, probabilities a softmax of −SBD / τ with τ the
 * window's mean distance to its own centroid.
 */
public final class KShape implements ClusteringAlgorithm {

    public static final String ID = "kshape";

    public record Settings(
            @Setting("runs from different random partitions; the lowest total distance wins") @Min(1) @Max(100) int restarts,
            @Setting("refinement iterations per run at most") @Min(1) @Max(10_000) int maxIterations) {

        public static final Settings DEFAULTS = new Settings(3, 100);
    }

    /**
     * Power iteration for the leading eigenvector: a change below this (of a unit vector) is convergence. Each
     * refinement starts from the previous shape, and the next refinement goes on from this one, so a loose
     * tolerance costs no accuracy at the end: it only stops the eigenvector from being polished against
     * members that are about to move (on PLAID, 1e-10 and 1,000 iterations made a run take minutes).
     */
    private static final double TOLERANCE = 1e-6;
    private static final int POWER_ITERATIONS = 200;

    private final Settings settings;
    private final int k;

    public KShape(Settings settings, int k) {
        ClusteringAlgorithm.requireK(ID, k);
        this.settings = settings;
        this.k = k;
    }

    /** One run's outcome: the partition, the centroids, and the sum of every sequence's distance to its centroid. */
    record Run(int[] labels, double[][][] centroids, double distance) {
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        ClusteringAlgorithm.requireWindow(ID, window, k);
        int length = window.stream().mapToInt(x -> x.length).max().orElseThrow();
        List<double[][]> data = window.stream().map(x -> pad(zNormalise(x), length)).toList();
        Random random = new Random(seed);
        Progress.Clock clock = new Progress.Clock(settings.restarts(), progress);
        Run best = null;
        for (int r = 0; r < settings.restarts(); r++) {
            Run run = run(data, random);
            clock.epochDone(LossTerms.of("sbd", run.distance() / data.size()));
            if (best == null || run.distance() < best.distance()) {
                best = run;
            }
        }
        double temperature = Math.max(best.distance() / data.size(), 1e-3);
        return new Fit(new Served(best.centroids(), temperature), best.labels(), best.distance() / data.size(), List.of());
    }

    /** Random initial partition, then shape extraction and reassignment until the partition stops changing. */
    Run run(List<double[][]> data, Random random) {
        int n = data.size();
        int[] labels = random.ints(n, 0, k).toArray();
        double[][][] centroids = new double[k][][];
        double[] distances = new double[n];
        for (int iteration = 0; iteration < settings.maxIterations(); iteration++) {
            int[] current = labels;
            double[][][] previous = centroids.clone();
            IntStream.range(0, k).parallel().forEach(j -> centroids[j] = extractShape(data, current, j, previous[j]));
            Spectra spectra = new Spectra(centroids);
            int[] next = new int[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                double[] d = spectra.distances(data.get(i));
                next[i] = argmin(d);
                distances[i] = d[next[i]];
            });
            reseedEmpty(next, distances);
            boolean changed = !java.util.Arrays.equals(labels, next);
            labels = next;
            if (!changed) {
                break;
            }
        }
        double total = 0;
        for (double d : distances) {
            total += d;
        }
        return new Run(labels, centroids, total);
    }

    /** An emptied cluster takes the sequence farthest from its centroid, so that k clusters remain. */
    private void reseedEmpty(int[] labels, double[] distances) {
        int[] counts = new int[k];
        for (int l : labels) {
            counts[l]++;
        }
        for (int j = 0; j < k; j++) {
            if (counts[j] == 0) {
                int far = -1;
                for (int i = 0; i < labels.length; i++) {
                    if (counts[labels[i]] > 1 && (far < 0 || distances[i] > distances[far])) {
                        far = i;
                    }
                }
                counts[labels[far]]--;
                labels[far] = j;
                counts[j]++;
                distances[far] = 0;
            }
        }
    }

    /**
     * The shape of cluster j: its members aligned to the current centroid (as they are, when there is none
     * yet), z-normalised; per channel, the leading eigenvector of Yᵀ Y, signed like the first member,
     * z-normalised. A cluster without members keeps a centroid of zeros (every distance to it is 1).
     */
    static double[][] extractShape(List<double[][]> data, int[] labels, int j, double[][] current) {
        int length = data.get(0).length;
        int dims = data.get(0)[0].length;
        List<double[][]> aligned = new ArrayList<>();
        CrossCorrelation.Spectrum centre = current == null ? null
                : CrossCorrelation.spectrum(current, CrossCorrelation.size(length, length));
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == j) {
                double[][] x = data.get(i);
                if (centre != null && centre.norm() > 0) {
                    int lag = CrossCorrelation.best(centre, CrossCorrelation.spectrum(x, CrossCorrelation.size(length, length))).lag();
                    x = CrossCorrelation.shift(x, lag, length);
                }
                aligned.add(x);
            }
        }
        double[][] shape = new double[length][dims];
        if (aligned.isEmpty()) {
            return shape;
        }
        for (int d = 0; d < dims; d++) {
            double[][] y = new double[aligned.size()][];
            for (int i = 0; i < y.length; i++) {
                y[i] = zNormalise(channel(aligned.get(i), d));
            }
            double[] v = leadingRightSingularVector(y, current == null ? null : channel(current, d));
            double[] first = channel(aligned.get(0), d);
            double minus = 0;
            double plus = 0;
            for (int t = 0; t < length; t++) {
                minus += (first[t] - v[t]) * (first[t] - v[t]);
                plus += (first[t] + v[t]) * (first[t] + v[t]);
            }
            double sign = minus >= plus ? -1 : 1;
            for (int t = 0; t < length; t++) {
                v[t] *= sign;
            }
            v = zNormalise(v);
            for (int t = 0; t < length; t++) {
                shape[t][d] = v[t];
            }
        }
        return shape;
    }

    /**
     * The unit vector v maximising ‖Y v‖ (the leading eigenvector of Yᵀ Y, which is k-Shape's M = Qᵀ S Q
     * for rows of mean zero), by power iteration without forming Yᵀ Y, started from the previous shape.
     */
    static double[] leadingRightSingularVector(double[][] y, double[] start) {
        int length = y[0].length;
        double[] v = new double[length];
        if (start != null && norm(start) > 0) {
            System.arraycopy(start, 0, v, 0, length);
        } else {
            for (double[] row : y) {
                for (int t = 0; t < length; t++) {
                    v[t] += row[t];
                }
            }
            if (norm(v) == 0) {
                v = y[0].clone();
            }
            if (norm(v) == 0) {
                v[0] = 1;
            }
        }
        scale(v, 1 / norm(v));
        for (int iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
            double[] next = new double[length];
            for (double[] row : y) {
                double dot = 0;
                for (int t = 0; t < length; t++) {
                    dot += row[t] * v[t];
                }
                for (int t = 0; t < length; t++) {
                    next[t] += dot * row[t];
                }
            }
            double n = norm(next);
            if (n == 0) {
                return v;
            }
            scale(next, 1 / n);
            double change = 0;
            for (int t = 0; t < length; t++) {
                change += (next[t] - v[t]) * (next[t] - v[t]);
            }
            v = next;
            if (change < TOLERANCE * TOLERANCE) {
                break;
            }
        }
        return v;
    }

    /** Each channel of a sequence z-normalised (sample standard deviation; a constant channel becomes zeros). */
    static double[][] zNormalise(double[][] x) {
        int dims = x[0].length;
        double[][] out = new double[x.length][dims];
        for (int d = 0; d < dims; d++) {
            double[] z = zNormalise(channel(x, d));
            for (int t = 0; t < x.length; t++) {
                out[t][d] = z[t];
            }
        }
        return out;
    }

    static double[] zNormalise(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(sq / (v.length - 1)) : 0;
        double[] out = new double[v.length];
        for (int t = 0; t < v.length; t++) {
            out[t] = sd > 1e-12 ? (v[t] - mean) / sd : 0;
        }
        return out;
    }

    private static double[][] pad(double[][] x, int length) {
        return x.length == length ? x : CrossCorrelation.shift(x, 0, length);
    }

    private static double[] channel(double[][] x, int d) {
        double[] c = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            c[t] = x[t][d];
        }
        return c;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static void scale(double[] v, double factor) {
        for (int t = 0; t < v.length; t++) {
            v[t] *= factor;
        }
    }

    private static int argmin(double[] d) {
        int best = 0;
        for (int j = 1; j < d.length; j++) {
            if (d[j] < d[best]) {
                best = j;
            }
        }
        return best;
    }

    /** The centroids transformed once for a given FFT size: SBD of a sequence to each. */
    private static final class Spectra {
        private final double[][][] centroids;
        private final java.util.Map<Integer, CrossCorrelation.Spectrum[]> bySize = new java.util.concurrent.ConcurrentHashMap<>();

        Spectra(double[][][] centroids) {
            this.centroids = centroids;
        }

        double[] distances(double[][] x) {
            int size = CrossCorrelation.size(x.length, centroids[0].length);
            CrossCorrelation.Spectrum[] cs = bySize.computeIfAbsent(size, s -> java.util.Arrays.stream(centroids)
                    .map(c -> CrossCorrelation.spectrum(c, s)).toArray(CrossCorrelation.Spectrum[]::new));
            CrossCorrelation.Spectrum sx = CrossCorrelation.spectrum(x, size);
            double[] d = new double[centroids.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = 1 - CrossCorrelation.best(sx, cs[j]).value();
            }
            return d;
        }
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        int k = in.readInt("k", 1, 1 << 16);
        int length = in.readInt("centroid length", 1, 1 << 24);
        int dims = in.readInt("dims", 1, Normalizer.MAX_DIMS);
        double[][][] centroids = new double[k][][];
        for (int j = 0; j < k; j++) {
            centroids[j] = in.readMatrix("centroid " + j, length, dims);
        }
        double temperature = in.readDouble();
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("kshape temperature must be positive, was " + temperature);
        }
        return new Served(centroids, temperature);
    }

    /** The served model: the centroids, and the scale of the distances for the probabilities. */
    private static final class Served implements Assigner {

        private final double[][][] centroids;
        private final double temperature;
        private final Spectra spectra;

        Served(double[][][] centroids, double temperature) {
            this.centroids = centroids;
            this.temperature = temperature;
            this.spectra = new Spectra(centroids);
        }

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public int dims() {
            return centroids[0][0].length;
        }

        @Override
        public double[] probabilities(double[][] values) {
            return SoftAssignment.of(spectra.distances(zNormalise(values)), temperature);
        }

        @Override
        public void write(PayloadWriter out) {
            out.writeInt(centroids.length).writeInt(centroids[0].length).writeInt(dims());
            for (double[][] c : centroids) {
                out.writeMatrix(c);
            }
            out.writeDouble(temperature);
        }
    }
}
