package io.seqclust.model.train;

import io.seqclust.model.layer.Param;

import java.util.List;

/** Adam (Kingma & Ba) with bias correction. */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<Param> params;
    private final double lr;
    private final double[][] m;
    private final double[][] v;
    private int t;

    Adam(List<Param> params, double lr) {
        this.params = params;
        this.lr = lr;
        m = new double[params.size()][];
        v = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new double[params.get(i).value.length];
            v[i] = new double[params.get(i).value.length];
        }
    }

    void step() {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            double[] mi = m[i];
            double[] vi = v[i];
            for (int j = 0; j < p.value.length; j++) {
                double g = p.grad[j];
                mi[j] = BETA1 * mi[j] + (1 - BETA1) * g;
                vi[j] = BETA2 * vi[j] + (1 - BETA2) * g * g;
                p.value[j] -= lr * (mi[j] / c1) / (Math.sqrt(vi[j] / c2) + EPS);
            }
        }
    }

    /**
     * Scales all gradients so that their global L2 norm is at most maxNorm; returns the norm before. A
     * non-finite norm is returned as it is and nothing is scaled: the caller must not take the step.
     */
    static double clipGradNorm(List<Param> params, double maxNorm) {
        double sq = 0;
        for (Param p : params) {
            for (double g : p.grad) {
                sq += g * g;
            }
        }
        double norm = Math.sqrt(sq);
        if (Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-12);
            for (Param p : params) {
                for (int j = 0; j < p.grad.length; j++) {
                    p.grad[j] *= scale;
                }
            }
        }
        return norm;
    }
}
