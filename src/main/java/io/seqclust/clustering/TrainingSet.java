package io.seqclust.clustering;

import io.seqclust.model.train.Objective;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingLoop;

import java.util.List;
import java.util.Random;

/**
 * A window made ready for a gradient-trained model: checked (more than k sequences, as the losses need),
 * normalised, with the schedule it trains on and the pretraining phase before it.
 *
 * @param pretrainSteps optimiser steps of pretraining, with the main schedule's batches and optimiser; 0 for none
 * @param minBatch      the fewest sequences a batch may hold: k + 1
 */
record TrainingSet(Normalizer normalizer, List<double[][]> data, TrainingLoop.Schedule schedule, int pretrainSteps,
                   int minBatch) {

    static TrainingSet of(String model, List<double[][]> window, int k, GradientTraining settings) {
        ClusteringAlgorithm.requireWindow(model, window, k + 1);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        return new TrainingSet(normalizer, normalizer.applyAll(window), settings.schedule(), settings.pretrainSteps(), k + 1);
    }

    int dims() {
        return data.get(0)[0].length;
    }

    /** Epochs of one run, pretraining included (for progress). */
    int epochs() {
        return pretrainingEpochs() + schedule.epochsFor(data.size(), minBatch);
    }

    /** Pretrains {@code objective} (a network's pretraining view) on the window, if any pretraining steps are set. */
    void pretrain(Objective objective, Random random, Progress.Clock clock) {
        if (pretrainingEpochs() > 0) {
            TrainingLoop.run(objective, data, minBatch, schedule.pretraining(pretrainSteps), random, clock,
                    TrainingLoop.EarlyStopping.NEVER);
        }
    }

    private int pretrainingEpochs() {
        return schedule.pretrainingEpochsFor(pretrainSteps, data.size(), minBatch);
    }

    /** Trains {@code objective} on the window by the main schedule. */
    TrainingLoop.Result train(Objective objective, Random random, Progress.Clock clock) {
        return TrainingLoop.run(objective, data, minBatch, schedule, random, clock, TrainingLoop.EarlyStopping.NEVER);
    }
}
