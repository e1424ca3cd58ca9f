package io.seqclust.model.train;

import io.seqclust.model.loss.LossTerms;

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
     * "epoch 3/30: loss 0.7500 (ddc 0.5000, regularisation 0.2500), …"; a lone figure by its name
     * ({@link LossTerms#asFigure}).
     */
    @Override
    public String toString() {
        return String.format("epoch %d/%d: %s, %.2f s/epoch, ETA %.0f s", epoch, epochs, loss.asFigure(),
                secondsPerEpoch(), etaSeconds());
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
