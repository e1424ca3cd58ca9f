package io.seqclust.model.train;

import io.seqclust.model.layer.Param;
import io.seqclust.model.loss.LossTerms;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingLoopTest {

    /** (w − 3)² summed over the parameter; on a chosen call the loss or the gradient turns NaN. */
    private static final class Quadratic implements Objective {
        final Param w = new Param("w", 2);
        final IntPredicate nanLoss;
        final IntPredicate nanGradient;
        int calls;

        Quadratic(IntPredicate nanLoss, IntPredicate nanGradient) {
            this.nanLoss = nanLoss;
            this.nanGradient = nanGradient;
        }

        @Override
        public List<Param> params() {
            return List.of(w);
        }

        @Override
        public LossTerms lossAndGradients(List<double[][]> batch, Random random) {
            calls++;
            double loss = 0;
            for (int i = 0; i < w.value.length; i++) {
                loss += (w.value[i] - 3) * (w.value[i] - 3);
                w.grad[i] = nanGradient.test(calls) ? Double.NaN : 2 * (w.value[i] - 3);
            }
            return LossTerms.of("quadratic", nanLoss.test(calls) ? Double.NaN : loss, "zero", 0.0);
        }
    }

    private static final List<double[][]> DATA = Collections.nCopies(30, new double[][] {{0}});

    private static TrainingLoop.Schedule schedule(int epochs, int steps) {
        return new TrainingLoop.Schedule(epochs, steps, 0, 10, 0.1, 5);
    }

    @Test
    void trainsForTheEpochsAndReportsEachWithItsTerms() {
        Quadratic q = new Quadratic(c -> false, c -> false);
        List<Progress> seen = new ArrayList<>();
        TrainingLoop.Result result = TrainingLoop.run(q, DATA, 4, schedule(20, 0), new Random(1), new Progress.Clock(20, seen::add),
                TrainingLoop.EarlyStopping.NEVER);
        assertEquals(20, result.epochs());
        assertEquals(60, result.steps());
        assertEquals(20, seen.size());
        assertEquals(20, seen.get(19).epoch());
        assertEquals(List.of("quadratic", "zero"), List.copyOf(seen.get(0).loss().terms().keySet()));
        assertTrue(result.lastEpochLoss().total() < seen.get(0).loss().total(), "the loss falls");
    }

    /** 30 sequences in batches of 10 are 3 steps an epoch: 2 epochs are 6 steps, raised to 10 by the minimum. */
    @Test
    void aSmallWindowTrainsForTheMinimumSteps() {
        Quadratic q = new Quadratic(c -> false, c -> false);
        TrainingLoop.Schedule s = new TrainingLoop.Schedule(2, 0, 10, 10, 0.1, 5);
        assertEquals(10, s.stepsFor(DATA.size(), 4));
        assertEquals(4, s.epochsFor(DATA.size(), 4));
        TrainingLoop.Result result = TrainingLoop.run(q, DATA, 4, s, new Random(1), new Progress.Clock(4, p -> { }),
                TrainingLoop.EarlyStopping.NEVER);
        assertEquals(10, result.steps());
        assertEquals(4, result.epochs());
        assertEquals(10, q.calls);
        assertEquals(60, new TrainingLoop.Schedule(20, 0, 10, 10, 0.1, 5).stepsFor(DATA.size(), 4), "the epochs' worth is more");
        assertEquals(5, new TrainingLoop.Schedule(20, 5, 10, 10, 0.1, 5).stepsFor(DATA.size(), 4), "a step budget rules");
    }

    @Test
    void aStepBudgetReplacesEpochsAndMayEndOneHalfway() {
        Quadratic q = new Quadratic(c -> false, c -> false);
        TrainingLoop.Schedule s = schedule(1000, 5);
        assertEquals(2, s.epochsFor(DATA.size(), 4), "3 batches an epoch");
        TrainingLoop.Result result = TrainingLoop.run(q, DATA, 4, s, new Random(1), new Progress.Clock(2, p -> { }),
                TrainingLoop.EarlyStopping.NEVER);
        assertEquals(5, result.steps());
        assertEquals(2, result.epochs());
        assertEquals(5, q.calls);
    }

    @Test
    void aNonFiniteLossStopsBeforeItsStep() {
        Quadratic q = new Quadratic(c -> c == 4, c -> false);
        double[][] before = new double[1][];
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> TrainingLoop.run(q, DATA, 4, schedule(5, 0),
                new Random(1), new Progress.Clock(5, p -> before[0] = q.w.value.clone()), TrainingLoop.EarlyStopping.NEVER));
        assertTrue(e.getMessage().contains("epoch 2, step 4"), e.getMessage());
        assertArrayEquals(before[0], q.w.value, 0.0, "the parameters are those after the last good step");
    }

    @Test
    void aNonFiniteGradientNormStopsToo() {
        Quadratic q = new Quadratic(c -> false, c -> c == 2);
        double[] start = q.w.value.clone();
        Optimiser optimiser = new Optimiser(q, 0.1, 5);
        optimiser.step(DATA, new Random(1));
        double[] afterOne = q.w.value.clone();
        assertFalse(java.util.Arrays.equals(start, afterOne));
        assertThrows(NonFiniteLossException.class, () -> optimiser.step(DATA, new Random(1)));
        assertArrayEquals(afterOne, q.w.value, 0.0);
    }

    @Test
    void clippingScalesTheWholeGradientAndLeavesANanNormAlone() {
        Param a = new Param("a", 2);
        Param b = new Param("b", 1);
        a.grad[0] = 3;
        a.grad[1] = 4;
        b.grad[0] = 12;
        assertEquals(13, Adam.clipGradNorm(List.of(a, b), 1.3), 1e-12);
        assertArrayEquals(new double[] {0.3, 0.4}, a.grad, 1e-9);
        assertArrayEquals(new double[] {1.2}, b.grad, 1e-9);
        b.grad[0] = Double.NaN;
        assertTrue(Double.isNaN(Adam.clipGradNorm(List.of(a, b), 1)));
        assertArrayEquals(new double[] {0.3, 0.4}, a.grad, 1e-9, "nothing is scaled by a NaN");
    }

    @Test
    void theEarlyStoppingHookEndsTrainingWithTheModelAsItIs() {
        Quadratic q = new Quadratic(c -> false, c -> false);
        TrainingLoop.Result result = TrainingLoop.run(q, DATA, 4, schedule(50, 0), new Random(1), new Progress.Clock(50, p -> { }),
                (epoch, loss) -> epoch == 3);
        assertEquals(3, result.epochs());
        assertEquals(9, result.steps());
        assertTrue(result.stoppedEarly());
    }

    @Test
    void anInterruptedThreadStopsTraining() {
        Quadratic q = new Quadratic(c -> false, c -> false);
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> TrainingLoop.run(q, DATA, 4, schedule(5, 0), new Random(1),
                    new Progress.Clock(5, p -> { }), TrainingLoop.EarlyStopping.NEVER));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void batchesDropALastOneTooSmallForTheLoss() {
        List<double[][]> data = Collections.nCopies(23, new double[][] {{0}});
        assertEquals(List.of(10, 10), Batches.shuffled(data, 10, 4, new Random(1)).stream().map(List::size).toList());
        assertEquals(2, Batches.count(23, 10, 4));
        assertEquals(List.of(10, 10, 3), Batches.shuffled(data, 10, 3, new Random(1)).stream().map(List::size).toList());
        assertEquals(3, Batches.count(23, 10, 3));
        assertEquals(List.of(3), Batches.shuffled(data.subList(0, 3), 10, 4, new Random(1)).stream().map(List::size).toList(),
                "the only batch is kept");
        assertEquals(1, Batches.count(3, 10, 4));
    }
}
