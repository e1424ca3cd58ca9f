package io.seqclust.model.train;

import io.seqclust.model.loss.LossTerms;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * The one training loop of every gradient-trained model: shuffled batches each epoch, an {@link Optimiser}
 * step on each (the model's loss and gradients, clipping, Adam); for a number of epochs or of optimiser
 * steps, with progress after each epoch. It stops with {@link NonFiniteLossException} before a step
 * whose loss or gradient norm is not finite (so the parameters stay as they were), with
 * {@link CancellationException} when its thread is interrupted, and early, with the model as it is,
 * when the early-stopping hook says so.
 */
public final class TrainingLoop {

    /**
     * How a run trains.
     *
     * @param steps optimiser steps; when above 0 they replace {@code epochs} (the last epoch may end part-way)
     */
    public record Schedule(int epochs, int steps, int minSteps, int batchSize, double learningRate, double clipNorm) {

        /**
         * The optimiser steps a run takes over n sequences: {@code steps} when above 0, else the epochs' worth,
         * at least {@code minSteps} (so that a small window trains as long as a large one).
         */
        public int stepsFor(int n, int minBatch) {
            if (steps > 0) {
                return steps;
            }
            long perEpochs = (long) epochs * Batches.count(n, batchSize, minBatch);
            return (int) Math.min(Integer.MAX_VALUE, Math.max(perEpochs, minSteps));
        }

        /** The epochs this schedule runs over n sequences, the last perhaps part-way (for progress). */
        public int epochsFor(int n, int minBatch) {
            int perEpoch = Batches.count(n, batchSize, minBatch);
            return (int) (((long) stepsFor(n, minBatch) + perEpoch - 1) / perEpoch);
        }

        /** A pretraining phase before this schedule: {@code steps} steps, same batches and optimiser settings. */
        public Schedule pretraining(int steps) {
            return new Schedule(1, steps, 0, batchSize, learningRate, clipNorm);
        }

        /** The epochs of {@link #pretraining}{@code (steps)} over n sequences; none for 0 steps. */
        public int pretrainingEpochsFor(int steps, int n, int minBatch) {
            return steps == 0 ? 0 : pretraining(steps).epochsFor(n, minBatch);
        }
    }

    /** Decides after each epoch, from its mean loss, whether to stop there. */
    @FunctionalInterface
    public interface EarlyStopping {

        EarlyStopping NEVER = (epoch, loss) -> false;

        boolean stop(int epoch, LossTerms meanLoss);
    }

    /** What a run did: epochs and steps taken, the last epoch's mean loss, and whether it stopped early. */
    public record Result(int epochs, int steps, LossTerms lastEpochLoss, boolean stoppedEarly) {
    }

    private TrainingLoop() {
    }

    /**
     * @param minBatch the fewest sequences a batch needs (see {@link Batches#shuffled})
     * @param random   shuffles the batches and is handed to the objective's steps
     */
    public static Result run(Objective objective, List<double[][]> data, int minBatch, Schedule schedule, Random random,
                             Progress.Clock clock, EarlyStopping earlyStopping) {
        Optimiser optimiser = new Optimiser(objective, schedule.learningRate(), schedule.clipNorm());
        int epochs = schedule.epochsFor(data.size(), minBatch);
        int total = schedule.stepsFor(data.size(), minBatch);
        int steps = 0;
        LossTerms epochLoss = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<List<double[][]>> batches = Batches.shuffled(data, schedule.batchSize(), minBatch, random);
            LossTerms sum = null;
            int taken = 0;
            for (List<double[][]> batch : batches) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("training interrupted at epoch " + epoch + ", step " + (steps + 1));
                }
                LossTerms loss;
                try {
                    loss = optimiser.step(batch, random);
                } catch (NonFiniteLossException e) {
                    throw new NonFiniteLossException("training stopped at epoch " + epoch + ", step " + (steps + 1) + ": "
                            + e.getMessage());
                }
                steps++;
                taken++;
                sum = sum == null ? loss : sum.plus(loss);
                if (steps == total) {
                    break;
                }
            }
            epochLoss = sum.scaled(1.0 / taken);
            clock.epochDone(epochLoss);
            if (earlyStopping.stop(epoch, epochLoss)) {
                return new Result(epoch, steps, epochLoss, epoch < epochs);
            }
        }
        return new Result(epochs, steps, epochLoss, false);
    }
}
