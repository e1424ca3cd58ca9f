package io.seqclust.math;

/**
 * Column means and standard deviations of rows (population variance), and rows standardised with them; a
 * column constant over the rows keeps a deviation of 1 (centred, it is zero and says nothing). Sparse (Hydra's
 * scaler, Dempster et al. 2023, for counts that are mostly zero): a zero stays zero, and each deviation is raised by
 * the fourth power of its column's share of zeros, so that a column that is almost always zero is not blown up by
 * its few non-zeros. Bounded ({@link #within}): each standardised value is held within the range its column spanned
 * over the rows, as scikit-learn's {@code MinMaxScaler(clip=True)} holds new rows.
 *
 * @param low  per column the lowest standardised value the rows held, or null: unbounded
 * @param high per column the highest, or null
 */
public record Standardisation(double[] mean, double[] sd, boolean sparse, float[] low, float[] high) {

    public Standardisation {
        if ((low == null) != (high == null) || low != null && (low.length != mean.length || high.length != mean.length)) {
            throw new IllegalArgumentException("bounds need a lowest and a highest value for each of the " + mean.length
                    + " columns");
        }
    }

    public Standardisation(double[] mean, double[] sd, boolean sparse) {
        this(mean, sd, sparse, null, null);
    }

    public Standardisation(double[] mean, double[] sd) {
        this(mean, sd, false);
    }

    /**
     * This standardisation, its values then held within [low, high] column by column; a column whose low is above its
     * high (no finite value widened it) is left unbounded.
     */
    public Standardisation within(float[] low, float[] high) {
        float[] lo = low.clone();
        float[] hi = high.clone();
        for (int j = 0; j < Math.min(lo.length, hi.length); j++) {
            if (!(lo[j] <= hi[j])) {
                lo[j] = Float.NEGATIVE_INFINITY;
                hi[j] = Float.POSITIVE_INFINITY;
            }
        }
        return new Standardisation(mean, sd, sparse, lo, hi);
    }

    /** Whether standardised values are held within bounds. */
    public boolean bounded() {
        return low != null;
    }

    /**
     * Widens {@code low} and {@code high} (filled with +∞ and −∞ to start) to hold a standardised row's finite values
     * (the row at least as long as they are), rounded to floats as {@link #applyInto} rounds them. A feature that
     * overflowed in one window row leaves its column's bounds to the others.
     */
    public static void widen(float[] low, float[] high, double[] standardised) {
        for (int j = 0; j < low.length; j++) {
            float v = (float) standardised[j];
            if (Float.isFinite(v)) {
                low[j] = Math.min(low[j], v);
                high[j] = Math.max(high[j], v);
            }
        }
    }

    public static Standardisation fit(double[][] rows) {
        int m = rows[0].length;
        double[] mean = new double[m];
        double[] variance = new double[m];
        for (double[] f : rows) {
            addToMean(mean, f, rows.length);
        }
        for (double[] f : rows) {
            addToVariance(variance, mean, f, rows.length);
        }
        return of(mean, variance);
    }

    /**
     * The first of two passes over n rows that need not be held together: adds a row's share to the column
     * means. The second, {@link #addToVariance}, runs over the same rows in the same order; {@link #of} then
     * gives what {@link #fit} would have.
     */
    public static void addToMean(double[] mean, double[] row, int n) {
        for (int j = 0; j < mean.length; j++) {
            mean[j] += row[j] / n;
        }
    }

    public static void addToVariance(double[] variance, double[] mean, double[] row, int n) {
        for (int j = 0; j < mean.length; j++) {
            variance[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
        }
    }

    public static Standardisation of(double[] mean, double[] variance) {
        double[] sd = new double[variance.length];
        for (int j = 0; j < sd.length; j++) {
            sd[j] = variance[j] > 1e-24 ? Math.sqrt(variance[j]) : 1.0;
        }
        return new Standardisation(mean, sd);
    }

    /** As {@link #of}, sparse: {@code zeros[j]} the share of rows whose column j is zero. */
    public static Standardisation sparse(double[] mean, double[] variance, double[] zeros) {
        double[] sd = of(mean, variance).sd();
        for (int j = 0; j < sd.length; j++) {
            sd[j] += Math.pow(zeros[j], 4) + 1e-8;
        }
        return new Standardisation(mean, sd, true);
    }

    /** Adds a row's share (of n rows) to each column's share of zeros. */
    public static void addToZeros(double[] zeros, double[] row, int n) {
        for (int j = 0; j < zeros.length; j++) {
            if (row[j] == 0) {
                zeros[j] += 1.0 / n;
            }
        }
    }

    public double[] apply(double[] f) {
        double[] z = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            z[j] = standardised(f, j);
        }
        return z;
    }

    /**
     * {@link #apply} of the first {@code mean.length} values of f (a row kept by its thread may be longer) rounded to
     * floats, written into {@code into} from {@code from}, with no row of doubles between: serving a record of
     * minirocket's ~10,000 features made that row, 64 of the 367 KB it allocated (JFR).
     */
    public void applyInto(double[] f, float[] into, int from) {
        for (int j = 0; j < mean.length; j++) {
            into[from + j] = (float) standardised(f, j);
        }
    }

    /** Within the bounds where there are any: a bound is a float, so rounding the held value to a float holds it too. */
    private double standardised(double[] f, int j) {
        double v = sparse && f[j] == 0 ? 0 : (f[j] - mean[j]) / sd[j];
        return low == null ? v : Math.max(low[j], Math.min(high[j], v));
    }
}
