package io.seqclust.training;

/**
 * The outcome of one training run.
 *
 * @param version the published version, 0 when the run failed
 * @param message why it failed, or null
 */
public record TrainingResult(boolean success, String model, long version, int windowSize, int dims,
                             double seconds, double loss, String reason, String message) {
}
