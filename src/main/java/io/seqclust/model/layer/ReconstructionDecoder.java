package io.seqclust.model.layer;

import io.seqclust.model.loss.SquaredError;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * DTCR's decoder: a GRU whose initial state is the representation h, and a linear readout of each
 * state, reconstructing the sequence; the loss is the squared error over every real step and channel,
 * scaled by the caller (to a mean over the batch). One sequence at a time; the engines run a batch.
 */
public final class ReconstructionDecoder {

    /** What decoder step t reads (step 0 reads zeros either way). */
    public enum Feed {
        /** The true value of step t − 1: cheaper to learn from, and what the model saw is never its own error. */
        TEACHER_FORCING,
        /** The decoder's own output at step t − 1, as the official DTCR code: h alone must carry the sequence. */
        FREE_RUNNING
    }

    public final Feed feed;
    public final int dims;
    public final Gru gru;
    public final Dense readout;

    public ReconstructionDecoder(int dims, int stateSize, Feed feed, Random random) {
        this.feed = feed;
        this.dims = dims;
        gru = new Gru(dims, stateSize, false, random);
        readout = new Dense("readout", stateSize, dims, random);
    }

    private ReconstructionDecoder(ReconstructionDecoder master) {
        feed = master.feed;
        dims = master.dims;
        gru = master.gru.replica();
        readout = master.readout.replica();
    }

    /** A decoder sharing this one's weights, with gradient accumulators of its own (for another thread). */
    public ReconstructionDecoder replica() {
        return new ReconstructionDecoder(this);
    }

    public List<Param> params() {
        List<Param> own = new ArrayList<>(gru.params());
        own.addAll(readout.params());
        return List.copyOf(own);
    }

    /** How many values the targets hold: the mean's denominator. */
    public static long valueCount(List<double[][]> targets) {
        long count = 0;
        for (double[][] x : targets) {
            count += (long) x.length * x[0].length;
        }
        return count;
    }

    /**
     * Reconstructs one sequence from its initial state: its share of the loss. With {@code dInitial},
     * back-propagates, adding this decoder's parameter gradients and writing dL/d(initial state).
     *
     * @param w the GRU's weights for this step ({@code gru.weights()}, shared by the replicas)
     */
    public double reconstruct(double[][] x, double[] initial, Gru.Weights w, double scale, double[] dInitial) {
        int steps = x.length;
        Gru.Trace tr = feed == Feed.TEACHER_FORCING
                ? w.forward(shiftedInput(x), initial)
                : w.forwardFeedback(steps, initial, new double[dims], readout::forward);
        double loss = 0;
        double[][] dOutput = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] state = tr.output(t, false);
            double[] y = feed == Feed.FREE_RUNNING && t + 1 < steps ? tr.x[t + 1] : readout.forward(state);
            double[] dy = new double[dims];
            loss += SquaredError.of(y, x[t], scale, dy);
            if (dInitial != null) {
                dOutput[t] = new double[state.length];
                readout.backward(state, dy, dOutput[t]);
            }
        }
        if (dInitial != null) {
            // free-running: step t's input is the readout of the state after step t − 1, so its gradient
            // flows back through the readout into that state before step t − 1 is back-propagated
            Gru.InputGradientSink sink = feed == Feed.TEACHER_FORCING ? null
                    : (t, dx) -> {
                        if (t > 0) {
                            readout.backward(tr.output(t - 1, false), dx, dOutput[t - 1]);
                        }
                    };
            gru.backward(tr, dOutput, null, sink != null, dInitial, sink);
        }
        return loss;
    }

    /** The decoder's input under teacher forcing: zeros, then the sequence shifted one step later. */
    static double[][] shiftedInput(double[][] x) {
        double[][] u = new double[x.length][];
        u[0] = new double[x[0].length];
        for (int t = 1; t < x.length; t++) {
            u[t] = x[t - 1];
        }
        return u;
    }
}
