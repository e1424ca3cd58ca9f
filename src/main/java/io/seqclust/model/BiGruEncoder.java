package io.seqclust.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Stacked bidirectional GRU over one sequence's true length. Layer l + 1 reads the concatenated
 * outputs of both directions of layer l at every step; the encoding is the last layer's final states,
 * forward (at the last real step) then backward (at the first), 2 × hidden values.
 */
public final class BiGruEncoder {

    public final int in;
    public final int hidden;
    private final Gru[] forward;
    private final Gru[] backward;

    /** The traces of one sequence's pass through every layer and direction. */
    public static final class Trace {
        final Gru.Trace[] fwd;
        final Gru.Trace[] bwd;

        Trace(int layers) {
            fwd = new Gru.Trace[layers];
            bwd = new Gru.Trace[layers];
        }
    }

    public BiGruEncoder(int in, int hidden, int layers, Random random) {
        this.in = in;
        this.hidden = hidden;
        forward = new Gru[layers];
        backward = new Gru[layers];
        for (int l = 0; l < layers; l++) {
            int layerIn = l == 0 ? in : 2 * hidden;
            forward[l] = new Gru(layerIn, hidden, false, random);
            backward[l] = new Gru(layerIn, hidden, true, random);
        }
    }

    /** Every layer's and direction's transposed weights, taken once per batch (or once for serving). */
    public record Prepared(Gru.Prepared[] fwd, Gru.Prepared[] bwd) {
    }

    public Prepared prepare() {
        Gru.Prepared[] f = new Gru.Prepared[forward.length];
        Gru.Prepared[] b = new Gru.Prepared[forward.length];
        for (int l = 0; l < forward.length; l++) {
            f[l] = forward[l].prepare();
            b[l] = backward[l].prepare();
        }
        return new Prepared(f, b);
    }

    /** An encoder sharing this one's weights, with gradient accumulators of its own (for another thread). */
    public BiGruEncoder replica() {
        return new BiGruEncoder(this);
    }

    private BiGruEncoder(BiGruEncoder master) {
        in = master.in;
        hidden = master.hidden;
        forward = new Gru[master.forward.length];
        backward = new Gru[master.forward.length];
        for (int l = 0; l < forward.length; l++) {
            forward[l] = master.forward[l].replica();
            backward[l] = master.backward[l].replica();
        }
    }

    public int layers() {
        return forward.length;
    }

    /** Layer l's direction that reads the sequence first to last (reverse = false) or last to first. */
    public Gru layer(int l, boolean reverse) {
        return reverse ? backward[l] : forward[l];
    }

    public int outputSize() {
        return 2 * hidden;
    }

    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (int l = 0; l < forward.length; l++) {
            out.addAll(forward[l].params());
            out.addAll(backward[l].params());
        }
        return out;
    }

    /** @param encoding receives the 2 × hidden encoding */
    public Trace forward(double[][] x, double[] encoding) {
        return forward(x, encoding, prepare());
    }

    public Trace forward(double[][] x, double[] encoding, Prepared w) {
        Trace tr = new Trace(forward.length);
        double[][] input = x;
        for (int l = 0; l < forward.length; l++) {
            tr.fwd[l] = forward[l].forward(input, w.fwd()[l]);
            tr.bwd[l] = backward[l].forward(input, w.bwd()[l]);
            if (l < forward.length - 1) {
                input = concatOutputs(tr.fwd[l], tr.bwd[l], input.length);
            }
        }
        int last = forward.length - 1;
        System.arraycopy(tr.fwd[last].last(), 0, encoding, 0, hidden);
        System.arraycopy(tr.bwd[last].last(), 0, encoding, hidden, hidden);
        return tr;
    }

    /** Adds the parameter gradients for dL/d(encoding) to the accumulators. */
    public void backward(Trace tr, double[] dEncoding) {
        int top = forward.length - 1;
        double[] dF = java.util.Arrays.copyOfRange(dEncoding, 0, hidden);
        double[] dB = java.util.Arrays.copyOfRange(dEncoding, hidden, 2 * hidden);
        double[][] dIn = forward[top].backward(tr.fwd[top], null, dF, top > 0);
        addInto(dIn, backward[top].backward(tr.bwd[top], null, dB, top > 0));
        for (int l = top - 1; l >= 0; l--) {
            int steps = dIn.length;
            double[][] dOutF = new double[steps][];
            double[][] dOutB = new double[steps][];
            for (int t = 0; t < steps; t++) {
                dOutF[t] = java.util.Arrays.copyOfRange(dIn[t], 0, hidden);
                dOutB[t] = java.util.Arrays.copyOfRange(dIn[t], hidden, 2 * hidden);
            }
            double[][] below = forward[l].backward(tr.fwd[l], dOutF, null, l > 0);
            addInto(below, backward[l].backward(tr.bwd[l], dOutB, null, l > 0));
            dIn = below;
        }
    }

    private double[][] concatOutputs(Gru.Trace f, Gru.Trace b, int steps) {
        double[][] out = new double[steps][2 * hidden];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(f.output(t, false), 0, out[t], 0, hidden);
            System.arraycopy(b.output(t, true), 0, out[t], hidden, hidden);
        }
        return out;
    }

    private static void addInto(double[][] acc, double[][] v) {
        if (acc == null) {
            return;
        }
        for (int t = 0; t < acc.length; t++) {
            for (int j = 0; j < acc[t].length; j++) {
                acc[t][j] += v[t][j];
            }
        }
    }
}
