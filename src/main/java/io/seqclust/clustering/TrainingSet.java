package io.seqclust.clustering;

import io.seqclust.model.train.TrainingLoop;

import java.util.List;

/**
 * A window made ready for a gradient-trained model: checked (more than k sequences, as the losses need),
 * normalised, with the schedule it trains on.
 *
 * @param minBatch the fewest sequences a batch may hold: k + 1
 */
record TrainingSet(Normalizer normalizer, List<double[][]> data, TrainingLoop.Schedule schedule, int minBatch) {

    static TrainingSet of(String model, List<double[][]> window, int k, GradientTraining settings) {
        ClusteringAlgorithm.requireWindow(model, window, k + 1);
        Normalizer normalizer = Normalizer.fit(settings.normalization(), window);
        return new TrainingSet(normalizer, normalizer.applyAll(window), settings.schedule(), k + 1);
    }

    int dims() {
        return data.get(0)[0].length;
    }

    /** Epochs of one run (for progress). */
    int epochs() {
        return schedule.epochsFor(data.size(), minBatch);
    }
}
