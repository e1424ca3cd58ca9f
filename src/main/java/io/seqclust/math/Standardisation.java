package io.seqclust.math;

/**
 * Column means and standard deviations of rows (population variance), and rows standardised with them; a
 * column constant over the rows keeps a deviation of 1 (centred, it is zero and says nothing).
 */
public record Standardisation(double[] mean, double[] sd) {

    public static Standardisation fit(double[][] rows) {
        int m = rows[0].length;
        double[] mean = new double[m];
        double[] sd = new double[m];
        for (double[] f : rows) {
            for (int j = 0; j < m; j++) {
                mean[j] += f[j] / rows.length;
            }
        }
        for (double[] f : rows) {
            for (int j = 0; j < m; j++) {
                sd[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / rows.length;
            }
        }
        for (int j = 0; j < m; j++) {
            sd[j] = sd[j] > 1e-24 ? Math.sqrt(sd[j]) : 1.0;
        }
        return new Standardisation(mean, sd);
    }

    public double[] apply(double[] f) {
        double[] z = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            z[j] = (f[j] - mean[j]) / sd[j];
        }
        return z;
    }
}
