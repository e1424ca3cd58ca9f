package io.seqclust.model;

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

    /** How the weights start (biases start at zero). */
    public enum Init {
        /** He (Kaiming) normal: sd √(2 / fan-in), as for the fully connected layers. */
        he,
        /** PyTorch's default for recurrent layers: uniform on ±1/√hidden. */
        uniform
    }

    public Gru(int in, int hidden, boolean reverse, Random random) {
        this(in, hidden, reverse, 1, Init.uniform, random);
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
        if (init == Init.he) {
            wx.he(in, random);
            wh.he(hidden, random);
        } else {
            wx.uniform(1 / Math.sqrt(hidden), random);
            wh.uniform(1 / Math.sqrt(hidden), random);
        }
        bx = new Param("gru." + dir + ".bx", 3 * hidden);
        bh = new Param("gru." + dir + ".bh", 3 * hidden);
    }

    public List<Param> params() {
        return List.of(wx, wh, bx, bh);
    }

    /**
     * The weights transposed (in × 3H and H × 3H), so that the forward pass is a sum of rows scaled by
     * the input (axpy loops the JIT vectorises) instead of dot products (reductions it does not).
     * A snapshot: take a new one after the weights change.
     */
    public record Prepared(double[] wxT, double[] whT) {
    }

    public Prepared prepare() {
        return new Prepared(transpose(wx.value, 3 * hidden, in), transpose(wh.value, 3 * hidden, hidden));
    }

    /** A GRU sharing this one's weights, with gradient accumulators of its own (for another thread). */
    Gru replica() {
        return new Gru(this);
    }

    private Gru(Gru master) {
        in = master.in;
        hidden = master.hidden;
        reverse = master.reverse;
        dilation = master.dilation;
        wx = master.wx.sharingValue();
        wh = master.wh.sharingValue();
        bx = master.bx.sharingValue();
        bh = master.bh.sharingValue();
    }

    /** @param x T × in, T ≥ 1 */
    public Trace forward(double[][] x) {
        return forward(x, prepare());
    }

    public Trace forward(double[][] x, Prepared w) {
        return forward(x, w, null);
    }

    /** @param initial the state before the first step, or null for zeros */
    public Trace forward(double[][] x, Prepared w, double[] initial) {
        Trace tr = start(x, initial);
        double[][] gates = new double[2][3 * hidden];
        for (int s = 0; s < tr.steps; s++) {
            step(tr, s, x[reverse ? tr.steps - 1 - s : s], w, gates);
        }
        return tr;
    }

    /**
     * A free-running pass (forward direction): step 0 reads {@code first}, step s + 1 reads
     * {@code next} applied to the state after step s, as a decoder that feeds back its own output.
     */
    public Trace forwardFeedback(int steps, Prepared w, double[] initial, double[] first, UnaryOperator<double[]> next) {
        if (reverse) {
            throw new IllegalStateException("a free-running pass runs forward");
        }
        Trace tr = start(new double[steps][], initial);
        double[][] gates = new double[2][3 * hidden];
        tr.x[0] = first;
        for (int s = 0; s < steps; s++) {
            step(tr, s, tr.x[s], w, gates);
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
    private void step(Trace tr, int s, double[] xt, Prepared w, double[][] gates) {
        int hs = hidden;
        double[] gx = gates[0];
        double[] gh = gates[1];
        double[] hPrev = tr.h[previous(s)];
        axpyAffine(w.wxT(), bx.value, xt, gx, 3 * hs);
        axpyAffine(w.whT(), bh.value, hPrev, gh, 3 * hs);
        double[] r = tr.r[s];
        double[] z = tr.z[s];
        double[] n = tr.n[s];
        double[] hn = tr.hn[s];
        double[] h = tr.h[s + 1];
        for (int j = 0; j < hs; j++) {
            r[j] = sigmoid(gx[j] + gh[j]);
            z[j] = sigmoid(gx[hs + j] + gh[hs + j]);
            hn[j] = gh[2 * hs + j];
            n[j] = Math.tanh(gx[2 * hs + j] + r[j] * hn[j]);
            h[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j];
        }
    }

    /** The index into the trace's states of what step s reads: the state after step s − dilation, or the initial one. */
    private int previous(int s) {
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
        // steps per sweep over a gradient row (see axpy4)
        double[][] dgxAll = new double[tr.steps][3 * hs];
        double[][] dghAll = new double[tr.steps][3 * hs];
        double[][] xs = new double[tr.steps][];
        double[][] hPrevs = new double[tr.steps][];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = reverse ? tr.steps - 1 - s : s;
            double[] dh = dH[s + 1];
            if (dOutput != null) {
                add(dh, dOutput[t]);
            }
            double[] r = tr.r[s];
            double[] z = tr.z[s];
            double[] n = tr.n[s];
            double[] hn = tr.hn[s];
            double[] hPrev = tr.h[previous(s)];
            double[] dhPrev = dH[previous(s)];
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
            add(bx.grad, dgx);
            if (inputGrad) {
                transposedTimes(wx.value, dgx, dx[t], 3 * hs, in);
                if (sink != null) {
                    sink.accept(t, dx[t]);
                }
            }
            add(bh.grad, dgh);
            transposedTimes(wh.value, dgh, dhPrev, 3 * hs, hs);
        }
        outerSum(dgxAll, xs, wx.grad, 3 * hs, in);
        outerSum(dghAll, hPrevs, wh.grad, 3 * hs, hs);
        if (dInitial != null) {
            System.arraycopy(dH[0], 0, dInitial, 0, hs);
        }
        return dx;
    }

    /** out = b + Σ_j v[j] · wT[j, :], wT cols × rows (W transposed). */
    static void axpyAffine(double[] wT, double[] b, double[] v, double[] out, int rows) {
        System.arraycopy(b, 0, out, 0, rows);
        int j = 0;
        for (; j + 4 <= v.length; j += 4) {
            axpy4(v[j], wT, j * rows, v[j + 1], wT, (j + 1) * rows, v[j + 2], wT, (j + 2) * rows,
                    v[j + 3], wT, (j + 3) * rows, out, 0, rows);
        }
        for (; j < v.length; j++) {
            axpy(v[j], wT, j * rows, out, 0, rows);
        }
    }

    static double[] transpose(double[] w, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = w[i * cols + j];
            }
        }
        return t;
    }

    /** out = W v + b, W rows × cols. */
    static void affine(double[] w, double[] b, double[] v, double[] out, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            double s = b[i];
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                s += w[base + j] * v[j];
            }
            out[i] = s;
        }
    }

    /** out += Wᵀ u, W rows × cols: row i of W scaled by u[i], summed. */
    static void transposedTimes(double[] w, double[] u, double[] out, int rows, int cols) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            axpy4(u[i], w, i * cols, u[i + 1], w, (i + 1) * cols, u[i + 2], w, (i + 2) * cols,
                    u[i + 3], w, (i + 3) * cols, out, 0, cols);
        }
        for (; i < rows; i++) {
            axpy(u[i], w, i * cols, out, 0, cols);
        }
    }

    /** g += Σ_s u[s] v[s]ᵀ, g rows × cols, over the steps s of u (v may have more rows; they are not read). */
    static void outerSum(double[][] u, double[][] v, double[] g, int rows, int cols) {
        int steps = u.length;
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int s = 0;
            for (; s + 4 <= steps; s += 4) {
                axpy4(u[s][i], v[s], 0, u[s + 1][i], v[s + 1], 0, u[s + 2][i], v[s + 2], 0,
                        u[s + 3][i], v[s + 3], 0, g, base, cols);
            }
            for (; s < steps; s++) {
                axpy(u[s][i], v[s], 0, g, base, cols);
            }
        }
    }

    /** g += u vᵀ, g rows × cols: row i of g gains v scaled by u[i]. */
    static void outer(double[] u, double[] v, double[] g, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            if (u[i] != 0) {
                axpy(u[i], v, 0, g, i * cols, cols);
            }
        }
    }

    /**
     * y[yOff..yOff+n) += Σ_q a_q · x_q[o_q..o_q+n): four axpys in one sweep, so y is loaded and stored once
     * per four multiply-adds instead of once per one (the kernels are bound by loads and stores, not by
     * arithmetic).
     */
    private static void axpy4(double a0, double[] x0, int o0, double a1, double[] x1, int o1, double a2, double[] x2, int o2,
                              double a3, double[] x3, int o3, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a0 * x0[o0 + j] + a1 * x1[o1 + j] + a2 * x2[o2 + j] + a3 * x3[o3 + j];
        }
    }

    /** y[yOff..yOff+n) += a · x[xOff..xOff+n): the loop every kernel here reduces to, which the JIT vectorises. */
    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    static void add(double[] acc, double[] v) {
        for (int i = 0; i < v.length; i++) {
            acc[i] += v[i];
        }
    }

    static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
