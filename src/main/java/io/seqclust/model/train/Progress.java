package io.seqclust.model.train;

import io.seqclust.model.loss.LossTerms;
import java.util.Map;

/**
 * How far a training run has come: epochs done of all it will do (over every restart), the last epoch's
 * mean loss by term, and the time so far.
 */
public record Progress(int epoch, int epochs, LossTerms loss, double elapsedSeconds) {

    public double secondsPerEpoch() {
        return elapsedSeconds / epoch;
    }

    public double etaSeconds() {
        return secondsPerEpoch() * (epochs - epoch);
    }

    /** Whether this epoch starts a new tenth of the run (or ends it): when a log line is worth writing. */
    public boolean atTenth() {
        return epoch == epochs || epoch % Math.max(1, epochs / 10) == 0;
    }

    /**
     * "epoch 3/30: loss 0.7500 (ddc 0.5, regularisation 0.25), …"; a lone term is named as itself, since the models
     * without gradient training report a step's own figure there (minirocket a draw's components, then the inertia
     * of the partition it serves), which is no loss.
     */
    @Override
    public String toString() {
        Map<String, Double> terms = loss.terms();
        String figure = terms.size() == 1
                ? terms.keySet().iterator().next() + " " + String.format("%.4g", loss.total())
                : "loss " + loss;
        return String.format("epoch %d/%d: %s, %.2f s/epoch, ETA %.0f s", epoch, epochs, figure, secondsPerEpoch(),
                etaSeconds());
    }

    /** Counts epochs across the runs of one training, and times them. */
    public static final class Clock {

        private final int epochs;
        private final TrainingProgress sink;
        private final long start = System.nanoTime();
        private int done;

        public Clock(int epochs, TrainingProgress sink) {
            this.epochs = epochs;
            this.sink = sink;
        }

        public void epochDone(LossTerms meanLoss) {
            done++;
            sink.report(new Progress(done, epochs, meanLoss, (System.nanoTime() - start) / 1e9));
        }
    }
}
