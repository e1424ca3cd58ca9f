package io.seqclust.demo;

import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.SequenceJson;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Synthetic labelled sequences: a few waveform shapes of random length on D channels (phase- and
 * amplitude-shifted copies), plus Gaussian noise. Every shape has mean zero and the same energy (unit
 * root mean square) and all classes stand at the same level, so the classes differ only in their
 * dynamics: time averaging (kmeans-avg) cannot separate them, and the log shows what the served model
 * adds over it. Not thread-safe.
 */
public final class DemoStream {

    /** The shapes, in label order. */
    public static final String[] SHAPES = {"sine", "ramp", "square", "decay", "fast-sine", "triangle"};

    /** A generated sequence and its true shape (which only ever scores, never trains). */
    public record Sample(int label, double[][] values) {
        public String shape() {
            return SHAPES[label];
        }
    }

    private final Random random;
    private final int dims;
    /** The shapes drawn from, with equal odds. */
    private final int[] labels;
    private final int minLength;
    private final int maxLength;
    private final double noise;

    /** Shapes 0 .. classes − 1. */
    public DemoStream(long seed, int dims, int classes, int minLength, int maxLength, double noise) {
        this(seed, dims, java.util.stream.IntStream.range(0, classes).toArray(), minLength, maxLength, noise);
    }

    /** The given shapes only: a stream whose mix of shapes can change (for drift). */
    public DemoStream(long seed, int dims, int[] labels, int minLength, int maxLength, double noise) {
        if (dims < 1 || labels.length < 1 || java.util.Arrays.stream(labels).anyMatch(l -> l < 0 || l >= SHAPES.length)
                || minLength < 1 || maxLength < minLength || noise < 0) {
            throw new IllegalArgumentException("demo needs dims >= 1, 1 to " + SHAPES.length
                    + " shapes, 1 <= min-length <= max-length and noise >= 0");
        }
        this.random = new Random(seed);
        this.dims = dims;
        this.labels = labels.clone();
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.noise = noise;
    }

    public Sample next() {
        int label = labels[random.nextInt(labels.length)];
        return new Sample(label, generate(label, minLength + random.nextInt(maxLength - minLength + 1)));
    }

    /** A sequence of the given shape and length. */
    public double[][] generate(int label, int length) {
        double[][] v = new double[length][dims];
        double phase = random.nextDouble() * 0.2;
        for (int d = 0; d < dims; d++) {
            double amplitude = 1.0 + 0.25 * d + 0.1 * random.nextGaussian();
            for (int t = 0; t < length; t++) {
                double x = (double) t / Math.max(1, length - 1) + phase + 0.1 * d;
                v[t][d] = amplitude * shape(label, x) + noise * random.nextGaussian();
            }
        }
        return v;
    }

    /** Each raw shape's mean and root mean square over a period, to bring them all to mean 0 and RMS 1. */
    private static final double[][] MOMENTS = moments();

    /** The noiseless shape at position x (one period per unit): mean 0 and RMS 1 over a period. */
    static double shape(int label, double x) {
        return (raw(label, x) - MOMENTS[label][0]) / MOMENTS[label][1];
    }

    private static double raw(int label, double x) {
        double phase = x - Math.floor(x);
        return switch (label) {
            case 0 -> Math.sin(2 * Math.PI * x);
            case 1 -> 2 * phase - 1;
            case 2 -> phase < 0.5 ? 1 : -1;
            case 3 -> Math.exp(-4 * phase);
            case 4 -> Math.sin(6 * Math.PI * x);
            case 5 -> 1 - 4 * Math.abs(phase - 0.5);
            default -> throw new IllegalArgumentException("no shape " + label);
        };
    }

    private static double[][] moments() {
        int points = 100_000;
        double[][] out = new double[SHAPES.length][2];
        for (int label = 0; label < SHAPES.length; label++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < points; i++) {
                double v = raw(label, (i + 0.5) / points);
                sum += v;
                sq += v * v;
            }
            double mean = sum / points;
            out[label][0] = mean;
            out[label][1] = Math.sqrt(sq / points - mean * mean);
        }
        return out;
    }

    /** The sequence as the JSON the sequences topic carries. */
    public static String toJson(String id, String source, long timestamp, double[][] values) {
        return new String(SequenceJson.write(new Sequence(id, source, timestamp, values)), StandardCharsets.UTF_8);
    }
}
