package io.seqclust.math;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Normalised cross-correlation of multichannel sequences by FFT (JTransforms): for x (T_x × D) and
 * y (T_y × D), c(s) = Σ_d Σ_t x_d[t + s] y_d[t] / (‖x‖ ‖y‖) for every lag s from −(T_y − 1) to T_x − 1, in
 * O((T_x + T_y) log(T_x + T_y)) per channel instead of O(T_x T_y). k-Shape's shape-based distance is
 * 1 − max_s c(s).
 */
public final class CrossCorrelation {

    private static final Map<Integer, DoubleFFT_1D> FFTS = new ConcurrentHashMap<>();

    private CrossCorrelation() {
    }

    /** The largest normalised cross-correlation and its lag: y shifted by {@code lag} steps lines up with x. */
    public record Best(double value, int lag) {
    }

    /** A sequence's channels transformed, with its length and norm: computed once, correlated with many. */
    public record Spectrum(int length, double norm, double[][] channels) {
    }

    /** The FFT size for correlating sequences of these lengths without wrap-around. */
    public static int size(int lengthX, int lengthY) {
        int n = 1;
        while (n < lengthX + lengthY - 1) {
            n <<= 1;
        }
        return n;
    }

    /** @param x T × D, transformed with zero padding to {@code size} */
    public static Spectrum spectrum(double[][] x, int size) {
        int dims = x[0].length;
        double sq = 0;
        double[][] channels = new double[dims][];
        DoubleFFT_1D fft = fft(size);
        for (int d = 0; d < dims; d++) {
            double[] a = new double[2 * size];
            for (int t = 0; t < x.length; t++) {
                a[t] = x[t][d];
                sq += x[t][d] * x[t][d];
            }
            fft.realForwardFull(a);
            channels[d] = a;
        }
        return new Spectrum(x.length, Math.sqrt(sq), channels);
    }

    /** The best lag of y against x (both transformed to the same size); 0 for a sequence of zeros. */
    public static Best best(Spectrum x, Spectrum y) {
        int size = x.channels()[0].length / 2;
        double[] product = new double[2 * size];
        for (int d = 0; d < x.channels().length; d++) {
            double[] a = x.channels()[d];
            double[] b = y.channels()[d];
            for (int i = 0; i < size; i++) {
                double ar = a[2 * i];
                double ai = a[2 * i + 1];
                double br = b[2 * i];
                double bi = b[2 * i + 1];
                // a · conj(b)
                product[2 * i] += ar * br + ai * bi;
                product[2 * i + 1] += ai * br - ar * bi;
            }
        }
        fft(size).complexInverse(product, true);
        double denominator = x.norm() * y.norm();
        if (denominator == 0) {
            return new Best(0, 0);
        }
        double best = Double.NEGATIVE_INFINITY;
        int bestLag = 0;
        // lag s lives at index s (s ≥ 0) or size + s (s < 0); scanned from the most negative lag up, so that the
        // first of equal maxima is the one kept, as numpy's argmax over lags −(T_y − 1)..T_x − 1 does
        for (int s = -(y.length() - 1); s < x.length(); s++) {
            double c = product[2 * (s < 0 ? size + s : s)];
            if (c > best) {
                best = c;
                bestLag = s;
            }
        }
        return new Best(best / denominator, bestLag);
    }

    /** y moved by {@code lag} steps (later for a positive lag), zero-filled, cut or padded to {@code length}. */
    public static double[][] shift(double[][] y, int lag, int length) {
        int dims = y[0].length;
        double[][] out = new double[length][dims];
        for (int t = 0; t < length; t++) {
            int from = t - lag;
            if (from >= 0 && from < y.length) {
                System.arraycopy(y[from], 0, out[t], 0, dims);
            }
        }
        return out;
    }

    private static DoubleFFT_1D fft(int size) {
        return FFTS.computeIfAbsent(size, DoubleFFT_1D::new);
    }
}
