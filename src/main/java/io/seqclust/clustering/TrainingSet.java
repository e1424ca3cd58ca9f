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
 * @param pretraining {@code seqclust.model.<name>.pretrain-steps} steps with the main schedule's batches and optimiser
 * @param minBatch    the fewest sequences a batch may hold: k + 1
 */
record TrainingSet(Normalizer normalizer, List<double[][]> data, TrainingLoop.Schedule schedule,
                   TrainingLoop.Schedule pretraining, int pretrainingEpochs, int minBatch) {

    static TrainingSet of(String model, List<double[][]> window, int k, GradientTraining settings) {
        ClusteringAlgorithm.requireWindow(model, window, k + 1);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        TrainingLoop.Schedule main = settings.schedule();
        int minBatch = k + 1;
        return new TrainingSet(normalizer, normalizer.applyAll(window), main, main.pretraining(settings.pretrainSteps()),
                main.pretrainingEpochsFor(settings.pretrainSteps(), window.size(), minBatch), minBatch);
    }

    int dims() {
        return data.get(0)[0].length;
    }

    /** Epochs of one run, pretraining included (for progress). */
    int epochs() {
        return pretrainingEpochs + schedule.epochsFor(data.size(), minBatch);
    }

    /** Pretrains {@code objective} (a network's pretraining view) on the window, if any pretraining steps are set. */
    void pretrain(Objective objective, Random random, Progress.Clock clock) {
        if (pretrainingEpochs > 0) {
            TrainingLoop.run(objective, data, minBatch, pretraining, random, clock, TrainingLoop.EarlyStopping.NEVER);
        }
    }

    /** Trains {@code objective} on the window by the main schedule. */
    TrainingLoop.Result train(Objective objective, Random random, Progress.Clock clock) {
        return TrainingLoop.run(objective, data, minBatch, schedule, random, clock, TrainingLoop.EarlyStopping.NEVER);
    }
}
