package io.seqclust.model.train;

import io.seqclust.model.layer.Param;
import io.seqclust.model.loss.LossTerms;

import java.util.List;
import java.util.Random;

/** What a network gives the training loop: its parameters, and its loss and gradients on a batch. */
public interface Objective {

    List<Param> params();

    /**
     * Zeroes the parameters' gradients, then accumulates those of the loss on this batch.
     *
     * @param random for what the step draws (fake samples, input noise); the same one that shuffles the batches
     * @return the loss by term
     */
    LossTerms lossAndGradients(List<double[][]> batch, Random random);
}
