package io.seqclust.model;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Central finite differences in double precision against an analytic gradient. */
public final class GradientCheck {

    static final double STEP = 1e-6;
    static final double TOLERANCE = 1e-5;
    /** Below this, both gradients count as zero (the relative error of two round-off values means nothing). */
    static final double FLOOR = 1e-9;

    private GradientCheck() {
    }

    /**
     * Perturbs each entry of {@code values} and compares (L(x+h) − L(x−h)) / 2h with {@code analytic}.
     *
     * @return the largest relative error seen
     */
    public static double check(String what, double[] values, double[] analytic, DoubleSupplier loss) {
        return check(what, values, analytic, loss, FLOOR);
    }

    /** @param floor gradients smaller than this in magnitude are not compared */
    public static double check(String what, double[] values, double[] analytic, DoubleSupplier loss, double floor) {
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            double keep = values[i];
            values[i] = keep + STEP;
            double up = loss.getAsDouble();
            values[i] = keep - STEP;
            double down = loss.getAsDouble();
            values[i] = keep;
            double numeric = (up - down) / (2 * STEP);
            double a = analytic[i];
            double scale = Math.max(Math.abs(a), Math.abs(numeric));
            if (scale < floor) {
                continue;
            }
            double rel = Math.abs(a - numeric) / scale;
            worst = Math.max(worst, rel);
            if (rel > TOLERANCE) {
                fail(String.format("%s[%d]: analytic %.10g vs numeric %.10g (relative error %.2e)", what, i, a, numeric, rel));
            }
        }
        return worst;
    }

    /** Checks a matrix input entry by entry (the loss reads the matrix itself). */
    public static void checkMatrix(String what, double[][] x, double[][] analytic, DoubleSupplier loss) {
        for (int r = 0; r < x.length; r++) {
            check(what + "[" + r + "]", x[r], analytic[r], loss);
        }
    }

    public static double[][] random(java.util.Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return m;
    }

    public static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                s += a[i][j] * b[i][j];
            }
        }
        return s;
    }
}
