package io.seqclust.model.train;

import io.seqclust.model.loss.LossTerms;

import java.util.List;
import java.util.Random;

/**
 * One training step of an objective: its loss and gradients on a batch, global gradient-norm clipping and
 * an Adam update, refused (parameters unchanged) when the loss or the gradient norm is not finite.
 */
public final class Optimiser {

    private final Objective objective;
    private final Adam adam;
    private final double clipNorm;

    public Optimiser(Objective objective, double learningRate, double clipNorm) {
        this.objective = objective;
        this.adam = new Adam(objective.params(), learningRate);
        this.clipNorm = clipNorm;
    }

    /** @throws NonFiniteLossException before the update, when the loss or the gradient norm is NaN or infinite */
    public LossTerms step(List<double[][]> batch, Random random) {
        LossTerms loss = objective.lossAndGradients(batch, random);
        double norm = Adam.clipGradNorm(objective.params(), clipNorm);
        if (!loss.isFinite() || !Double.isFinite(norm)) {
            throw new NonFiniteLossException("loss " + loss + ", gradient norm " + norm);
        }
        adam.step();
        return loss;
    }
}
