package io.seqclust.training;

/**
 * The outcome of one training run.
 *
 * @param version   the published version, 0 when the run failed
 * @param message   why it failed, or null
 * @param cancelled stopped through the API (not counted as a failure)
 * @param warning   what a user should know about a run that succeeded (e.g. a small window), or null
 */
public record TrainingResult(boolean success, String model, long version, int windowSize, int dims,
                             double seconds, double loss, String reason, String message, boolean cancelled,
                             String warning) {

    static TrainingResult failed(String model, int windowSize, double seconds, String reason, String message, boolean cancelled) {
        return new TrainingResult(false, model, 0, windowSize, 0, seconds, Double.NaN, reason, message, cancelled, null);
    }
}
