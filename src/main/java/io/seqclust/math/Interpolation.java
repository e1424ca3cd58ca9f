package io.seqclust.math;

/** Linear interpolation of sequences onto a fixed number of steps. */
public final class Interpolation {

    private Interpolation() {
    }

    /**
     * {@code x} ({@code T × D}) on {@code length} evenly spaced steps from its first to its last, each channel
     * interpolated linearly between neighbouring steps; a one-step sequence is repeated.
     */
    public static double[][] resample(double[][] x, int length) {
        if (length < 1 || x.length < 1) {
            throw new IllegalArgumentException("resampling needs a sequence and a length of at least one step");
        }
        int dims = x[0].length;
        double[][] out = new double[length][dims];
        for (int t = 0; t < length; t++) {
            double pos = x.length == 1 || length == 1 ? 0 : (double) t * (x.length - 1) / (length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(x.length - 1, lo + 1);
            double w = pos - lo;
            for (int d = 0; d < dims; d++) {
                out[t][d] = x[lo][d] + w * (x[hi][d] - x[lo][d]);
            }
        }
        return out;
    }
}
