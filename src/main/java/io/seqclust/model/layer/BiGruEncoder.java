package io.seqclust.model.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stacked bidirectional GRU over one sequence's true length. Layer l + 1 reads the concatenated
 * outputs of both directions of layer l at every step. The encoding is the final states, forward (at
 * the last real step) then backward (at the first), of the last layer (RDDC) or of every layer in
 * order (DTCR, whose layers are also dilated).
 * <p>
 * This class is the trainable encoder; the forward pass belongs to {@link Weights}, which is also all
 * that serving keeps of it.
 */
public final class BiGruEncoder {

    public final int in;
    private final int[] units;
    /** Whether the encoding holds every layer's final states, not just the last layer's. */
    private final boolean allLayers;
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

    /** Every layer's and direction's weights: the encoder's forward pass, for training steps and for serving. */
    public record Weights(Gru.Weights[] forward, Gru.Weights[] backward, boolean allLayers) {

        public Weights {
            if (forward.length == 0 || forward.length != backward.length) {
                throw new IllegalArgumentException("an encoder needs both directions of at least one layer");
            }
            for (int l = 0; l < forward.length; l++) {
                int layerIn = l == 0 ? forward[0].in() : 2 * forward[l - 1].hidden();
                for (Gru.Weights w : new Gru.Weights[] {forward[l], backward[l]}) {
                    if (w.in() != layerIn || w.hidden() != forward[l].hidden() || w.dilation() != forward[l].dilation()) {
                        throw new IllegalArgumentException("encoder layer " + l + " does not fit the layer below it");
                    }
                }
                if (forward[l].reverse() || !backward[l].reverse()) {
                    throw new IllegalArgumentException("encoder layer " + l + " has its directions swapped");
                }
            }
        }

        public int in() {
            return forward[0].in();
        }

        public int layers() {
            return forward.length;
        }

        public int outputSize() {
            return BiGruEncoder.outputSize(units(), allLayers);
        }

        /** Where layer l's final states start in the encoding; −1 when they are not part of it. */
        public int encodingOffset(int l) {
            return BiGruEncoder.encodingOffset(units(), allLayers, l);
        }

        private int[] units() {
            return Arrays.stream(forward).mapToInt(Gru.Weights::hidden).toArray();
        }

        /** The encoding of one sequence. */
        public double[] encode(double[][] x) {
            double[] encoding = new double[outputSize()];
            forward(x, encoding);
            return encoding;
        }

        /** @param encoding receives the encoding */
        public Trace forward(double[][] x, double[] encoding) {
            int layers = forward.length;
            int[] units = units();
            Trace tr = new Trace(layers);
            double[][] input = x;
            for (int l = 0; l < layers; l++) {
                tr.fwd[l] = forward[l].forward(input);
                tr.bwd[l] = backward[l].forward(input);
                if (l < layers - 1) {
                    input = concatOutputs(tr.fwd[l], tr.bwd[l], input.length);
                }
            }
            for (int l = allLayers ? 0 : layers - 1; l < layers; l++) {
                int offset = encodingOffset(l);
                System.arraycopy(tr.fwd[l].last(), 0, encoding, offset, units[l]);
                System.arraycopy(tr.bwd[l].last(), 0, encoding, offset + units[l], units[l]);
            }
            return tr;
        }
    }

    /** RDDC's encoder: equal layers, no dilation, the last layer's final states. */
    public BiGruEncoder(int in, int hidden, int layers, Gru.Init init, Random random) {
        this(in, Collections.nCopies(layers, hidden).stream().mapToInt(Integer::intValue).toArray(),
                Collections.nCopies(layers, 1).stream().mapToInt(Integer::intValue).toArray(), false, init, random);
    }

    /**
     * @param units     units per direction of each layer
     * @param dilations each layer's dilation (1: an ordinary GRU)
     * @param allLayers whether the encoding holds every layer's final states (else the last layer's)
     * @param init      how the GRUs' weights start
     */
    public BiGruEncoder(int in, int[] units, int[] dilations, boolean allLayers, Gru.Init init, Random random) {
        if (units.length == 0 || units.length != dilations.length) {
            throw new IllegalArgumentException("need one dilation per layer, got " + units.length + " layers and "
                    + dilations.length + " dilations");
        }
        this.in = in;
        this.units = units.clone();
        this.allLayers = allLayers;
        forward = new Gru[units.length];
        backward = new Gru[units.length];
        for (int l = 0; l < units.length; l++) {
            int layerIn = l == 0 ? in : 2 * units[l - 1];
            forward[l] = new Gru(layerIn, units[l], false, dilations[l], init, random);
            backward[l] = new Gru(layerIn, units[l], true, dilations[l], init, random);
        }
    }

    private BiGruEncoder(BiGruEncoder master) {
        in = master.in;
        units = master.units;
        allLayers = master.allLayers;
        forward = new Gru[master.forward.length];
        backward = new Gru[master.forward.length];
        for (int l = 0; l < forward.length; l++) {
            forward[l] = master.forward[l].replica();
            backward[l] = master.backward[l].replica();
        }
    }

    /** An encoder sharing this one's weights, with gradient accumulators of its own (for another thread). */
    public BiGruEncoder replica() {
        return new BiGruEncoder(this);
    }

    /** The weights as they are now, for the forward passes of one training step. */
    public Weights weights() {
        return collect(false);
    }

    /** The weights as they are now, copied: what serving keeps once training has ended. */
    public Weights snapshot() {
        return collect(true);
    }

    private Weights collect(boolean copy) {
        Gru.Weights[] f = new Gru.Weights[forward.length];
        Gru.Weights[] b = new Gru.Weights[forward.length];
        for (int l = 0; l < forward.length; l++) {
            f[l] = copy ? forward[l].snapshot() : forward[l].weights();
            b[l] = copy ? backward[l].snapshot() : backward[l].weights();
        }
        return new Weights(f, b, allLayers);
    }

    public int layers() {
        return forward.length;
    }

    /** Layer l's direction that reads the sequence first to last (reverse = false) or last to first. */
    public Gru layer(int l, boolean reverse) {
        return reverse ? backward[l] : forward[l];
    }

    public int outputSize() {
        return outputSize(units, allLayers);
    }

    /** Where layer l's final states start in the encoding (forward, then backward right after), or −1 when not in it. */
    public int encodingOffset(int l) {
        return encodingOffset(units, allLayers, l);
    }

    static int outputSize(int[] units, boolean allLayers) {
        return allLayers ? 2 * Arrays.stream(units).sum() : 2 * units[units.length - 1];
    }

    static int encodingOffset(int[] units, boolean allLayers, int l) {
        if (!allLayers) {
            return l == units.length - 1 ? 0 : -1;
        }
        int o = 0;
        for (int i = 0; i < l; i++) {
            o += 2 * units[i];
        }
        return o;
    }

    /** The floating-point operations of the gates' matrix products in a forward pass over {@code steps} time steps in all. */
    public long forwardFlops(long steps) {
        long flops = 0;
        for (Gru g : forward) {
            flops += 2 * (2L * 3 * g.hidden * (g.in + g.hidden)) * steps;
        }
        return flops;
    }

    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (int l = 0; l < forward.length; l++) {
            out.addAll(forward[l].params());
            out.addAll(backward[l].params());
        }
        return out;
    }

    /** Adds the parameter gradients for dL/d(encoding) to the accumulators. */
    public void backward(Trace tr, double[] dEncoding) {
        int top = forward.length - 1;
        double[][] dIn = null;
        for (int l = top; l >= 0; l--) {
            double[] dF = null;
            double[] dB = null;
            if (allLayers || l == top) {
                dF = Arrays.copyOfRange(dEncoding, encodingOffset(l), encodingOffset(l) + units[l]);
                dB = Arrays.copyOfRange(dEncoding, encodingOffset(l) + units[l], encodingOffset(l) + 2 * units[l]);
            }
            double[][] dOutF = null;
            double[][] dOutB = null;
            if (dIn != null) {
                int steps = dIn.length;
                dOutF = new double[steps][];
                dOutB = new double[steps][];
                for (int t = 0; t < steps; t++) {
                    dOutF[t] = Arrays.copyOfRange(dIn[t], 0, units[l]);
                    dOutB[t] = Arrays.copyOfRange(dIn[t], units[l], 2 * units[l]);
                }
            }
            double[][] below = forward[l].backward(tr.fwd[l], dOutF, dF, l > 0);
            addInto(below, backward[l].backward(tr.bwd[l], dOutB, dB, l > 0));
            dIn = below;
        }
    }

    private static double[][] concatOutputs(Gru.Trace f, Gru.Trace b, int steps) {
        int h = f.h[0].length;
        double[][] out = new double[steps][2 * h];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(f.output(t, false), 0, out[t], 0, h);
            System.arraycopy(b.output(t, true), 0, out[t], h, h);
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
