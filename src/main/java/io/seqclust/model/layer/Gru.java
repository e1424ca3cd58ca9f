package io.seqclust.model.layer;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * One direction of a GRU layer (PyTorch's gate equations, gates in the order r, z, n), run over
 * one sequence at a time for exactly its own length, so padding never reaches a state:
 * <pre>
 *   r = σ(Wx_r x + bx_r + Wh_r h + bh_r)      z = σ(Wx_z x + bx_z + Wh_z h + bh_z)
 *   n = tanh(Wx_n x + bx_n + r ⊙ (Wh_n h + bh_n))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The reverse direction reads the sequence from its last real step to its first. With a dilation d
 * (DTCR's dilated layers) step s reads the state after step s − d instead of s − 1; steps before the
 * first d read the initial state, zero unless given (a decoder starts from a representation).
 * <p>
 * This class is the trainable layer (parameters, gradients, backward); the forward pass belongs to
 * {@link Weights}, which is also all that serving keeps of a trained GRU.
 */
public final class Gru {

    public final int in;
    public final int hidden;
    public final boolean reverse;
    public final int dilation;
    public final Param wx;
    public final Param wh;
    public final Param bx;
    public final Param bh;

    /** How the weights start (biases start at zero). */
    public enum Init {
        /** He (Kaiming) normal: sd √(2 / fan-in), as for the fully connected layers. */
        HE,
        /** PyTorch's default for recurrent layers: uniform on ±1/√hidden. */
        UNIFORM
    }

    /**
     * The weights a forward pass reads, the input and recurrent matrices transposed (in × 3H and H × 3H) so
     * that a step is a sum of rows scaled by the input. Immutable once built: a training step takes a new
     * one after the parameters change.
     */
    public record Weights(int in, int hidden, boolean reverse, int dilation, double[] wxT, double[] whT,
                          double[] bx, double[] bh) {

        /** From the weights in PyTorch's layout (wx 3H × in, wh 3H × H, row-major). */
        public static Weights of(int in, int hidden, boolean reverse, int dilation, double[] wx, double[] wh,
                                 double[] bx, double[] bh) {
            if (wx.length != 3 * hidden * in || wh.length != 3 * hidden * hidden || bx.length != 3 * hidden
                    || bh.length != 3 * hidden) {
                throw new IllegalArgumentException("GRU weights do not fit " + in + " inputs and " + hidden + " units");
            }
            if (dilation < 1) {
                throw new IllegalArgumentException("dilation must be at least 1, was " + dilation);
            }
            return new Weights(in, hidden, reverse, dilation, Kernels.transpose(wx, 3 * hidden, in),
                    Kernels.transpose(wh, 3 * hidden, hidden), bx, bh);
        }

        /** The input weights in PyTorch's layout. */
        public double[] wx() {
            return Kernels.transpose(wxT, in, 3 * hidden);
        }

        /** The recurrent weights in PyTorch's layout. */
        public double[] wh() {
            return Kernels.transpose(whT, hidden, 3 * hidden);
        }

        /** @param x T × in, T ≥ 1 */
        public Trace forward(double[][] x) {
            return forward(x, null);
        }

        /** @param initial the state before the first step, or null for zeros */
        public Trace forward(double[][] x, double[] initial) {
            Trace tr = start(x, initial);
            double[][] gates = new double[2][3 * hidden];
            for (int s = 0; s < tr.steps; s++) {
                step(tr, s, x[reverse ? tr.steps - 1 - s : s], gates);
            }
            return tr;
        }

        /**
         * A free-running pass (forward direction): step 0 reads {@code first}, step s + 1 reads
         * {@code next} applied to the state after step s, as a decoder that feeds back its own output.
         */
        public Trace forwardFeedback(int steps, double[] initial, double[] first, UnaryOperator<double[]> next) {
            if (reverse) {
                throw new IllegalStateException("a free-running pass runs forward");
            }
            Trace tr = start(new double[steps][], initial);
            double[][] gates = new double[2][3 * hidden];
            tr.x[0] = first;
            for (int s = 0; s < steps; s++) {
                step(tr, s, tr.x[s], gates);
                if (s + 1 < steps) {
                    tr.x[s + 1] = next.apply(tr.h[s + 1]);
                }
            }
            return tr;
        }

        private Trace start(double[][] x, double[] initial) {
            Trace tr = new Trace(x, hidden);
            if (initial != null) {
                System.arraycopy(initial, 0, tr.h[0], 0, hidden);
            }
            return tr;
        }

        /** Step s of a pass: reads xt and the state it depends on, writes the step's gates and state into the trace. */
        private void step(Trace tr, int s, double[] xt, double[][] gates) {
            int hs = hidden;
            double[] gx = gates[0];
            double[] gh = gates[1];
            double[] hPrev = tr.h[previous(s, dilation)];
            Kernels.axpyAffine(wxT, bx, xt, gx, 3 * hs);
            Kernels.axpyAffine(whT, bh, hPrev, gh, 3 * hs);
            double[] r = tr.r[s];
            double[] z = tr.z[s];
            double[] n = tr.n[s];
            double[] hn = tr.hn[s];
            double[] h = tr.h[s + 1];
            for (int j = 0; j < hs; j++) {
                r[j] = Kernels.sigmoid(gx[j] + gh[j]);
                z[j] = Kernels.sigmoid(gx[hs + j] + gh[hs + j]);
                hn[j] = gh[2 * hs + j];
                n[j] = Math.tanh(gx[2 * hs + j] + r[j] * hn[j]);
                h[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j];
            }
        }
    }

    /** What backward needs of one forward pass over one sequence. */
    public static final class Trace {
        final int steps;
        final double[][] x;
        /** States, step order: h[0] is the initial state, h[s + 1] the state after step s. */
        final double[][] h;
        final double[][] r;
        final double[][] z;
        final double[][] n;
        /** Wh_n h + bh_n, which r gates. */
        final double[][] hn;

        Trace(double[][] x, int hidden) {
            steps = x.length;
            this.x = x;
            h = new double[steps + 1][hidden];
            r = new double[steps][hidden];
            z = new double[steps][hidden];
            n = new double[steps][hidden];
            hn = new double[steps][hidden];
        }

        /** The state at time index t (each direction's output at t). */
        public double[] output(int t, boolean reverse) {
            return h[(reverse ? steps - 1 - t : t) + 1];
        }

        public double[] last() {
            return h[steps];
        }
    }

    public Gru(int in, int hidden, boolean reverse, Random random) {
        this(in, hidden, reverse, 1, Init.UNIFORM, random);
    }

    public Gru(int in, int hidden, boolean reverse, int dilation, Init init, Random random) {
        if (dilation < 1) {
            throw new IllegalArgumentException("dilation must be at least 1, was " + dilation);
        }
        this.in = in;
        this.hidden = hidden;
        this.reverse = reverse;
        this.dilation = dilation;
        String dir = reverse ? "bwd" : "fwd";
        wx = new Param("gru." + dir + ".wx", 3 * hidden * in);
        wh = new Param("gru." + dir + ".wh", 3 * hidden * hidden);
        if (init == Init.HE) {
            wx.he(in, random);
            wh.he(hidden, random);
        } else {
            wx.uniform(1 / Math.sqrt(hidden), random);
            wh.uniform(1 / Math.sqrt(hidden), random);
        }
        bx = new Param("gru." + dir + ".bx", 3 * hidden);
        bh = new Param("gru." + dir + ".bh", 3 * hidden);
    }

    private Gru(Gru master) {
        in = master.in;
        hidden = master.hidden;
        reverse = master.reverse;
        dilation = master.dilation;
        wx = master.wx.replica();
        wh = master.wh.replica();
        bx = master.bx.replica();
        bh = master.bh.replica();
    }

    /** A GRU sharing this one's weights, with gradient accumulators of its own (for another thread). */
    public Gru replica() {
        return new Gru(this);
    }

    public List<Param> params() {
        return List.of(wx, wh, bx, bh);
    }

    /** The weights as they are now, for the forward passes of one training step. */
    public Weights weights() {
        return Weights.of(in, hidden, reverse, dilation, wx.value, wh.value, bx.value, bh.value);
    }

    /** The weights as they are now, copied: what serving keeps once training has ended. */
    public Weights snapshot() {
        return Weights.of(in, hidden, reverse, dilation, wx.value, wh.value, bx.value.clone(), bh.value.clone());
    }

    /** The index into a trace's states of what step s reads: the state after step s − dilation, or the initial one. */
    static int previous(int s, int dilation) {
        return Math.max(0, s + 1 - dilation);
    }

    /** As {@link #backward(Trace, double[][], double[], boolean, double[])}, without the initial state's gradient. */
    public double[][] backward(Trace tr, double[][] dOutput, double[] dLast, boolean inputGrad) {
        return backward(tr, dOutput, dLast, inputGrad, null);
    }

    /**
     * Back-propagation through time; adds the parameter gradients to the params' accumulators.
     *
     * @param dOutput   dL/d(output at time index t), T × hidden, or null when only the last state is used
     * @param dLast     dL/d(last state), or null
     * @param inputGrad whether dL/dx is wanted (not for a first layer, whose input is data)
     * @param dInitial  receives dL/d(initial state) when not null
     * @return dL/dx, T × in (time order), or null
     */
    public double[][] backward(Trace tr, double[][] dOutput, double[] dLast, boolean inputGrad, double[] dInitial) {
        return backward(tr, dOutput, dLast, inputGrad, dInitial, null);
    }

    /** Receives dL/d(input at time index t) as soon as it is known, before the step that produced that input is back-propagated. */
    @FunctionalInterface
    public interface InputGradientSink {
        void accept(int t, double[] dx);
    }

    /**
     * As {@link #backward(Trace, double[][], double[], boolean, double[])}; for a free-running pass, {@code sink}
     * sees each step's input gradient in time and may add to {@code dOutput} of earlier steps (the input of step t
     * being a function of the output at t − 1).
     */
    public double[][] backward(Trace tr, double[][] dOutput, double[] dLast, boolean inputGrad, double[] dInitial,
                               InputGradientSink sink) {
        int hs = hidden;
        double[][] dx = inputGrad ? new double[tr.steps][in] : null;
        // dH[i] gathers dL/d(state i) from the steps that read it (one, or none, per dilation) and from above
        double[][] dH = new double[tr.steps + 1][hs];
        if (dLast != null) {
            System.arraycopy(dLast, 0, dH[tr.steps], 0, hs);
        }
        // each step's gate gradients are kept, and the weight gradients summed over steps at the end, four
        // steps per sweep over a gradient row (see Kernels.outerSum)
        double[][] dgxAll = new double[tr.steps][3 * hs];
        double[][] dghAll = new double[tr.steps][3 * hs];
        double[][] xs = new double[tr.steps][];
        double[][] hPrevs = new double[tr.steps][];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = reverse ? tr.steps - 1 - s : s;
            double[] dh = dH[s + 1];
            if (dOutput != null) {
                Kernels.add(dh, dOutput[t]);
            }
            double[] r = tr.r[s];
            double[] z = tr.z[s];
            double[] n = tr.n[s];
            double[] hn = tr.hn[s];
            double[] hPrev = tr.h[previous(s, dilation)];
            double[] dhPrev = dH[previous(s, dilation)];
            double[] dgx = dgxAll[s];
            double[] dgh = dghAll[s];
            for (int j = 0; j < hs; j++) {
                double dn = dh[j] * (1 - z[j]);
                double dz = dh[j] * (hPrev[j] - n[j]);
                dhPrev[j] += dh[j] * z[j];
                double dan = dn * (1 - n[j] * n[j]);
                double dar = dan * hn[j] * r[j] * (1 - r[j]);
                double daz = dz * z[j] * (1 - z[j]);
                dgx[j] = dar;
                dgx[hs + j] = daz;
                dgx[2 * hs + j] = dan;
                dgh[j] = dar;
                dgh[hs + j] = daz;
                dgh[2 * hs + j] = dan * r[j];
            }
            xs[s] = tr.x[t];
            hPrevs[s] = hPrev;
            Kernels.add(bx.grad, dgx);
            if (inputGrad) {
                Kernels.transposedTimes(wx.value, dgx, dx[t], 3 * hs, in);
                if (sink != null) {
                    sink.accept(t, dx[t]);
                }
            }
            Kernels.add(bh.grad, dgh);
            Kernels.transposedTimes(wh.value, dgh, dhPrev, 3 * hs, hs);
        }
        Kernels.outerSum(dgxAll, xs, wx.grad, 3 * hs, in);
        Kernels.outerSum(dghAll, hPrevs, wh.grad, 3 * hs, hs);
        if (dInitial != null) {
            System.arraycopy(dH[0], 0, dInitial, 0, hs);
        }
        return dx;
    }
}
