package io.seqclust.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * DTCR's decoder: a GRU whose initial state is the representation h, and a linear readout of each
 * state, reconstructing the sequence; the loss is the MSE over every real step and channel.
 */
public final class SequenceDecoder {

    /** What decoder step t reads (step 0 reads zeros either way). */
    public enum Feed {
        /** The true value of step t − 1: cheaper to learn from, and what the model saw is never its own error. */
        TEACHER_FORCING,
        /** The decoder's own output at step t − 1, as the official DTCR code: h alone must carry the sequence. */
        FREE_RUNNING
    }

    /** The reconstruction loss, and dL/dh per sequence when a backward pass ran (else null). */
    public record Result(double loss, double[][] dInitial) {
    }

    public final Feed feed;
    private final boolean nd4j;
    private final int dims;
    private final Gru gru;
    private final Dense readout;
    private final Gru[] gruReplicas;
    private final Dense[] readoutReplicas;
    private final List<List<Param>> replicaParams = new ArrayList<>();

    /** @param engine java, or nd4j for a teacher-forced decoder on ND4J (free-running runs on Java only) */
    public SequenceDecoder(int dims, int stateSize, Feed feed, EncoderEngine.Kind engine, Random random) {
        checkEngine(feed, engine);
        this.nd4j = engine.resolve() == EncoderEngine.Kind.nd4j;
        this.feed = feed;
        this.dims = dims;
        gru = new Gru(dims, stateSize, false, random);
        readout = new Dense("readout", stateSize, dims, random);
        gruReplicas = new Gru[Workers.THREADS];
        readoutReplicas = new Dense[Workers.THREADS];
        gruReplicas[0] = gru;
        readoutReplicas[0] = readout;
        for (int i = 1; i < Workers.THREADS; i++) {
            gruReplicas[i] = gru.replica();
            readoutReplicas[i] = readout.replica();
        }
        for (int i = 0; i < Workers.THREADS; i++) {
            List<Param> own = new ArrayList<>(gruReplicas[i].params());
            own.addAll(readoutReplicas[i].params());
            replicaParams.add(List.copyOf(own));
        }
    }

    /** Rejects a decoder the engine does not run: free-running needs one readout per step and sequence, Java only. */
    public static void checkEngine(Feed feed, EncoderEngine.Kind engine) {
        if (feed == Feed.FREE_RUNNING && engine.resolve() == EncoderEngine.Kind.nd4j) {
            throw new IllegalArgumentException("the free-running decoder trains on the java engine only; set the engine to java"
                    + " or the decoder to teacher-forcing");
        }
    }

    public List<Param> params() {
        return replicaParams.get(0);
    }

    /** How many values the targets hold: the MSE's denominator. */
    static long valueCount(List<double[][]> targets) {
        long count = 0;
        for (double[][] x : targets) {
            count += (long) x.length * x[0].length;
        }
        return count;
    }

    /**
     * Reconstructs each target from its initial state; with {@code backward}, adds the params' gradients
     * to their accumulators (the caller zeroes them) and returns dL/d(initial state).
     */
    public Result reconstruct(List<double[][]> targets, double[][] initial, boolean backward) {
        if (nd4j) {
            return Nd4jDecoder.reconstruct(gru, readout, targets, initial, backward);
        }
        int n = targets.size();
        double scale = 1.0 / valueCount(targets);
        Gru.Prepared w = gru.prepare();
        double[] losses = new double[n];
        double[][] dInitial = backward ? new double[n][initial[0].length] : null;
        Workers.Task body = (worker, i) ->
                losses[i] = one(worker, targets.get(i), initial[i], w, scale, backward ? dInitial[i] : null);
        if (backward) {
            Workers.accumulate(n, replicaParams, body);
        } else {
            Workers.parallel(n, body);
        }
        double loss = 0;
        for (double l : losses) {
            loss += l;
        }
        return new Result(loss, dInitial);
    }

    /** One sequence on one worker: its share of the loss; back-propagates when dInitial is given. */
    private double one(int worker, double[][] x, double[] initial, Gru.Prepared w, double scale, double[] dInitial) {
        Gru g = gruReplicas[worker];
        Dense out = readoutReplicas[worker];
        int steps = x.length;
        Gru.Trace tr = feed == Feed.TEACHER_FORCING
                ? g.forward(shiftedInput(x), w, initial)
                : g.forwardFeedback(steps, w, initial, new double[dims], out::forward);
        double loss = 0;
        double[][] dOutput = new double[steps][];
        for (int t = 0; t < steps; t++) {
            double[] state = tr.output(t, false);
            double[] y = feed == Feed.FREE_RUNNING && t + 1 < steps ? tr.x[t + 1] : out.forward(state);
            double[] dy = new double[dims];
            for (int d = 0; d < dims; d++) {
                double e = y[d] - x[t][d];
                loss += e * e * scale;
                dy[d] = 2 * e * scale;
            }
            if (dInitial != null) {
                dOutput[t] = new double[state.length];
                out.backward(state, dy, dOutput[t]);
            }
        }
        if (dInitial != null) {
            // free-running: step t's input is the readout of the state after step t − 1, so its gradient
            // flows back through the readout into that state before step t − 1 is back-propagated
            Gru.InputGradientSink sink = feed == Feed.TEACHER_FORCING ? null
                    : (t, dx) -> {
                        if (t > 0) {
                            out.backward(tr.output(t - 1, false), dx, dOutput[t - 1]);
                        }
                    };
            g.backward(tr, dOutput, null, sink != null, dInitial, sink);
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
