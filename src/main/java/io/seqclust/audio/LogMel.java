package io.seqclust.audio;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps from samples to log-mel energies, each a small pure function: framing, the periodic Hann window,
 * the power spectrum (JTransforms' real FFT), the mel bands ({@link MelFilterbank}), the logarithm, and the
 * silence crop and per-utterance normalisation around them. {@link AudioFeatures} chains them.
 */
public final class LogMel {

    /** Added to every band energy before the logarithm: a silent band gives log(1e-10), not -∞. */
    public static final double FLOOR = 1e-10;
    private static final Map<Integer, DoubleFFT_1D> FFTS = new ConcurrentHashMap<>();

    private LogMel() {
    }

    /** Frames of {@code length} samples every {@code hop}; at least one, a short clip zero-padded into it. */
    public static int frameCount(int samples, int length, int hop) {
        return samples <= length ? 1 : 1 + (samples - length + hop - 1) / hop;
    }

    /** Frame {@code i}: samples {@code [i·hop, i·hop + length)}, zeros past the end. */
    public static double[] frame(float[] samples, int i, int length, int hop) {
        double[] out = new double[length];
        int start = i * hop;
        for (int n = 0; n < length && start + n < samples.length; n++) {
            out[n] = samples[start + n];
        }
        return out;
    }

    /** Periodic Hann window, as spectral analysis uses it: {@code 0.5 - 0.5 cos(2πn / N)}. */
    public static double[] hann(int length) {
        double[] w = new double[length];
        for (int n = 0; n < length; n++) {
            w[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / length);
        }
        return w;
    }

    /** Mean square of a frame in decibels relative to a full-scale square wave (0 dBFS is 1.0). */
    public static double energyDb(double[] frame) {
        double s = 0;
        for (double x : frame) {
            s += x * x;
        }
        return 10 * Math.log10(s / frame.length + 1e-20);
    }

    /** The smallest power of two at least {@code n}. */
    public static int fftSize(int n) {
        return Integer.highestOneBit(Math.max(1, n - 1)) << 1;
    }

    /** {@code |X[k]|²}, k = 0 … fftSize/2, of the windowed frame zero-padded to {@code fftSize}. */
    public static double[] powerSpectrum(double[] frame, double[] window, int fftSize) {
        double[] a = new double[fftSize];
        for (int n = 0; n < frame.length; n++) {
            a[n] = frame[n] * window[n];
        }
        FFTS.computeIfAbsent(fftSize, DoubleFFT_1D::new).realForward(a);
        // JTransforms packs a[0] = Re X[0], a[1] = Re X[N/2], a[2k], a[2k+1] = Re, Im X[k]
        double[] p = new double[fftSize / 2 + 1];
        p[0] = a[0] * a[0];
        p[fftSize / 2] = a[1] * a[1];
        for (int k = 1; k < fftSize / 2; k++) {
            p[k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
        }
        return p;
    }

    public static double[] log(double[] energies) {
        double[] out = new double[energies.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.log(energies[i] + FLOOR);
        }
        return out;
    }

    /**
     * The first and last frame (inclusive) whose energy is within {@code trimDb} of the loudest frame's: what
     * lies outside is leading or trailing silence.
     */
    public static int[] voiced(double[] frameDb, double trimDb) {
        double loudest = Double.NEGATIVE_INFINITY;
        for (double e : frameDb) {
            loudest = Math.max(loudest, e);
        }
        int first = 0;
        while (frameDb[first] < loudest - trimDb) {
            first++;
        }
        int last = frameDb.length - 1;
        while (frameDb[last] < loudest - trimDb) {
            last--;
        }
        return new int[] {first, last};
    }

    /**
     * Per-utterance normalisation, in place, of {@code x[t][d]}: {@code band} centres and scales each band over
     * time (cepstral mean and variance normalisation's log-mel form: loudness and the channel's colouring go,
     * each band's dynamics stay); {@code utterance} centres and scales all values together (the spectral
     * envelope stays, loudness goes). A constant band or clip is only centred.
     */
    public static void normalise(double[][] x, AudioSettings.Normalisation how) {
        int dims = x[0].length;
        switch (how) {
            case none -> {
            }
            case band -> {
                for (int d = 0; d < dims; d++) {
                    double mean = 0;
                    for (double[] row : x) {
                        mean += row[d];
                    }
                    mean /= x.length;
                    double var = 0;
                    for (double[] row : x) {
                        var += (row[d] - mean) * (row[d] - mean);
                    }
                    double scale = scale(var / x.length);
                    for (double[] row : x) {
                        row[d] = (row[d] - mean) * scale;
                    }
                }
            }
            case utterance -> {
                double mean = 0;
                for (double[] row : x) {
                    for (double v : row) {
                        mean += v;
                    }
                }
                mean /= (double) x.length * dims;
                double var = 0;
                for (double[] row : x) {
                    for (double v : row) {
                        var += (v - mean) * (v - mean);
                    }
                }
                double scale = scale(var / ((double) x.length * dims));
                for (double[] row : x) {
                    for (int d = 0; d < dims; d++) {
                        row[d] = (row[d] - mean) * scale;
                    }
                }
            }
        }
    }

    private static double scale(double variance) {
        return variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
    }
}
