package io.seqclust.clustering;

import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.model.train.TrainingLoop;

/** The settings every gradient-trained model has (its settings record implements this by its components). */
interface GradientTraining {

    String MIN_STEPS = "optimiser steps per run at least, whatever the window's size (epochs are added to reach them)";

    int epochs();

    int steps();

    int minSteps();

    /** Optimiser steps of pretraining before the main schedule; 0 for none. */
    int pretrainSteps();

    int batchSize();

    double learningRate();

    double clipNorm();

    Normalization normalization();

    default TrainingLoop.Schedule schedule() {
        return new TrainingLoop.Schedule(epochs(), steps(), minSteps(), batchSize(), learningRate(), clipNorm());
    }
}
