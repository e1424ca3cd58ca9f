package io.seqclust.model.loss;

/** Reconstruction loss: squared error, scaled (by 1 / the number of values, for a mean over a batch). */
public final class SquaredError {

    private SquaredError() {
    }

    /**
     * One step's share: Σ_d (y_d − x_d)² · scale.
     *
     * @param dy receives ∂/∂y
     */
    public static double of(double[] y, double[] x, double scale, double[] dy) {
        double loss = 0;
        for (int d = 0; d < y.length; d++) {
            double e = y[d] - x[d];
            loss += e * e * scale;
            dy[d] = 2 * e * scale;
        }
        return loss;
    }
}
