package io.seqclust.clustering;

import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.model.train.TrainingLoop;

/** The settings every gradient-trained model has (its settings record implements this by its components). */
interface GradientTraining {

    int epochs();

    int steps();

    int batchSize();

    double learningRate();

    double clipNorm();

    Normalization normalization();

    default TrainingLoop.Schedule schedule() {
        return new TrainingLoop.Schedule(epochs(), steps(), batchSize(), learningRate(), clipNorm());
    }
}
