package io.seqclust.audio;

/**
 * Triangular filters evenly spaced on the mel scale (HTK's formula, {@code 2595 log10(1 + f / 700)}), each
 * peaking at 1 at its centre and falling to 0 at its neighbours' centres, weighting the power spectrum's bins
 * by their frequency. {@code weights[m][k]}: band m, bin k of an {@code fftSize}-point spectrum.
 */
public record MelFilterbank(double[][] weights, double[] centres) {

    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    /**
     * @param maxHz above the Nyquist frequency of a slower rate, bins beyond it simply do not exist: those
     *              filters then see less (or none) of their band, the same for every clip of that rate
     */
    public static MelFilterbank of(int bands, int fftSize, int sampleRate, double minHz, double maxHz) {
        double lo = hzToMel(minHz);
        double hi = hzToMel(maxHz);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(lo + (hi - lo) * i / (bands + 1));
        }
        int bins = fftSize / 2 + 1;
        double[][] w = new double[bands][bins];
        double[] centres = new double[bands];
        for (int m = 0; m < bands; m++) {
            double left = edges[m];
            double centre = edges[m + 1];
            double right = edges[m + 2];
            centres[m] = centre;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / fftSize;
                double rising = (f - left) / (centre - left);
                double falling = (right - f) / (right - centre);
                w[m][k] = Math.max(0.0, Math.min(rising, falling));
            }
        }
        return new MelFilterbank(w, centres);
    }

    public int bands() {
        return weights.length;
    }

    /** Each band's energy: the weighted sum of the power spectrum's bins. */
    public double[] apply(double[] power) {
        double[] out = new double[weights.length];
        for (int m = 0; m < out.length; m++) {
            double[] wm = weights[m];
            double s = 0;
            for (int k = 0; k < power.length; k++) {
                s += wm[k] * power[k];
            }
            out[m] = s;
        }
        return out;
    }
}
