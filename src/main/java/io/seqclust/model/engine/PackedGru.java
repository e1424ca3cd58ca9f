package io.seqclust.model.engine;

import io.seqclust.model.layer.Gru;
import io.seqclust.model.serving.FloatOps;

import java.util.Arrays;

/**
 * One GRU (a direction of an encoder layer, or the decoder) over a packed batch ({@link Packing}): its
 * weights in float32 (gate blocks padded to the vector width, zero weights, so padded units stay at zero),
 * and what its forward pass kept for backward. Rows are in step order: row r of a reverse GRU is step r of
 * its sequence read backwards, whose input is the input row {@code reverse[r]}. The steps before the
 * dilation read each sequence's initial state: zeros, or the rows given to {@link #forward}.
 */
final class PackedGru {

    /** Rows per block of the weight gradients' products: 64 rows of gate gradients are 24 KB at 32 units. */
    private static final int BLOCK = 64;

    private final Gru gru;
    final int units;
    final int padded;
    private final int gates;
    private final int width;
    /** Where each of the GRU's inputs sits in an input row (the layer below's directions are padded). */
    private final int[] column;
    private final FloatOps ops;
    private final Packing packing;
    private final int[] previous;
    private final float[] zeros;
    /** Input weights as rows of gate coefficients (width × gates), and as rows per gate (gates × width). */
    private final float[] wxRows;
    private final float[] wxGates;
    /** Recurrent weights likewise (units × gates, and gates × padded). */
    private final float[] whRows;
    private final float[] whGates;
    private final float[] bx;
    private final float[] bh;
    float[] h;
    /** The input rows in step order, and what the forward pass kept of each step: gh (for Wh_n h + bh_n) and r, z, n. */
    private float[] xs;
    private float[] gh;
    private float[] kept;
    /** Each sequence's initial state by sorted position (n × padded), or null for zeros. */
    private float[] initial;

    PackedGru(Gru gru, PackedGru below, int width, FloatOps ops, Packing packing) {
        this.gru = gru;
        this.ops = ops;
        this.packing = packing;
        this.width = width;
        units = gru.hidden;
        padded = (units + ops.width() - 1) / ops.width() * ops.width();
        gates = 3 * padded;
        column = new int[gru.in];
        for (int q = 0; q < gru.in; q++) {
            column[q] = below == null || q < below.units ? q : below.padded + q - below.units;
        }
        previous = packing.previous(gru.dilation);
        zeros = new float[padded];
        wxRows = new float[width * gates];
        wxGates = new float[gates * width];
        whRows = new float[units * gates];
        whGates = new float[gates * padded];
        bx = new float[gates];
        bh = new float[gates];
        double[] wx = gru.wx.value;
        double[] wh = gru.wh.value;
        for (int gate = 0; gate < 3; gate++) {
            for (int u = 0; u < units; u++) {
                int row = gate * units + u;
                int col = gate * padded + u;
                for (int q = 0; q < gru.in; q++) {
                    float v = (float) wx[row * gru.in + q];
                    wxRows[column[q] * gates + col] = v;
                    wxGates[col * width + column[q]] = v;
                }
                for (int q = 0; q < units; q++) {
                    float v = (float) wh[row * units + q];
                    whRows[q * gates + col] = v;
                    whGates[col * padded + q] = v;
                }
                bx[col] = (float) gru.bx.value[row];
                bh[col] = (float) gru.bh.value[row];
            }
        }
    }

    /** Rows of x in this direction's step order (the reverse direction's through the permutation, its own inverse). */
    private float[] inStepOrder(float[] x) {
        if (!gru.reverse) {
            return x;
        }
        float[] out = new float[x.length];
        for (int r = 0; r < packing.rows(); r++) {
            System.arraycopy(x, packing.reverse()[r] * width, out, r * width, width);
        }
        return out;
    }

    void forward(float[] x) {
        forward(x, null);
    }

    /** @param initial each sequence's initial state by sorted position, rows of {@code padded} floats; null for zeros */
    void forward(float[] x, float[] initial) {
        int rows = packing.rows();
        this.initial = initial;
        xs = inStepOrder(x);
        float[] gx = new float[rows * gates];
        gh = new float[rows * gates];
        kept = new float[rows * gates];
        h = new float[rows * padded];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bx, 0, gx, r * gates, gates);
            System.arraycopy(bh, 0, gh, r * gates, gates);
        }
        ops.multiply(xs, 0, width, rows, width, wxRows, 0, gx, 0, gates, gates);
        for (int s = 0; s < packing.steps(); s++) {
            int first = packing.offsets()[s];
            int running = packing.running(s);
            // the states this step reads are rows of one earlier step, or the initial states, of the same prefix of the sequences
            if (s >= gru.dilation) {
                ops.multiply(h, packing.offsets()[s - gru.dilation] * padded, padded, running, units, whRows, 0, gh,
                        first * gates, gates, gates);
            } else if (initial != null) {
                ops.multiply(initial, 0, padded, running, units, whRows, 0, gh, first * gates, gates, gates);
            }
            // the running sequences' previous states are consecutive rows (or all the zero state)
            int prev = previous[first];
            ops.gruGates(running, gx, gh, first * gates, states(prev), stateFrom(prev),
                    prev < 0 && initial == null ? 0 : padded, kept, h, first * padded, padded);
        }
    }

    /** The array holding the state that row {@code prev} of {@link Packing#previous} names. */
    private float[] states(int prev) {
        return prev >= 0 ? h : initial != null ? initial : zeros;
    }

    /** Where in {@link #states} that state starts. */
    private int stateFrom(int prev) {
        return prev >= 0 ? prev * padded : initial != null ? (-1 - prev) * padded : 0;
    }

    /**
     * Back-propagation through the pass; adds the parameter gradients to the GRU's accumulators.
     *
     * @param dOutput  dL/d(each step's state), rows of {@code halves} blocks of {@code padded} floats of which
     *                 this GRU's is block {@code half} (an encoder layer's output holds both directions), or null
     * @param dLast    dL/d(final state) by sorted position, or null
     * @param dInitial receives dL/d(initial state) by sorted position (n × padded), or null
     * @return dL/d(input) as rows of the input, or null without {@code inputGrad}
     */
    float[] backward(float[] dOutput, int halves, int half, float[] dLast, float[] dInitial, boolean inputGrad) {
        int rows = packing.rows();
        float[] dh = new float[rows * padded];
        if (dOutput != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(dOutput, (source(r) * halves + half) * padded, dh, r * padded, padded);
            }
        }
        if (dLast != null) {
            for (int j = 0; j < packing.size(); j++) {
                int at = packing.lastRow(j) * padded;
                for (int u = 0; u < padded; u++) {
                    dh[at + u] += dLast[j * padded + u];
                }
            }
        }
        float[] dgx = new float[rows * gates];
        float[] dgh = new float[rows * gates];
        float[] discard = new float[padded];
        // steps last to first: a step's state gradients are complete once every later step has been run back
        for (int s = packing.steps() - 1; s >= 0; s--) {
            int first = packing.offsets()[s];
            int running = packing.running(s);
            for (int r = first; r < first + running; r++) {
                int prev = previous[r];
                float[] dPrev = prev >= 0 ? dh : dInitial != null ? dInitial : discard;
                int dPrevFrom = prev >= 0 ? prev * padded : dInitial != null ? (-1 - prev) * padded : 0;
                ops.gruBackward(kept, gh, r * gates, states(prev), stateFrom(prev), dh, r * padded, dPrev, dPrevFrom, dgx, dgh,
                        padded);
            }
            if (s >= gru.dilation) {
                ops.multiply(dgh, first * gates, gates, running, gates, whGates, 0, dh,
                        packing.offsets()[s - gru.dilation] * padded, padded, padded);
            } else if (dInitial != null) {
                ops.multiply(dgh, first * gates, gates, running, gates, whGates, 0, dInitial, 0, padded, padded);
            }
        }
        accumulate(dgx, dgh);
        if (!inputGrad) {
            return null;
        }
        float[] dx = new float[rows * width];
        ops.multiply(dgx, 0, gates, rows, gates, wxGates, 0, dx, 0, width, width);
        return inStepOrder(dx);
    }

    /** The input row of row r. */
    private int source(int r) {
        return gru.reverse ? packing.reverse()[r] : r;
    }

    /**
     * The weight and bias gradients, summed over all rows, into the GRU's accumulators (unpadded). A block
     * of rows at a time, every weight row for each block: the block's gate gradients stay in cache while
     * the weight gradients (a few tens of KB) are swept, where a sweep over all rows per weight row was
     * memory-bound (a third of the synthetic step).
     */
    private void accumulate(float[] dgx, float[] dgh) {
        int rows = packing.rows();
        float[] xb = new float[gru.in * BLOCK];
        float[] hb = new float[units * BLOCK];
        float[] ones = new float[BLOCK];
        Arrays.fill(ones, 1);
        float[] dWx = new float[gru.in * gates];
        float[] dWh = new float[units * gates];
        float[] dbx = new float[gates];
        float[] dbh = new float[gates];
        for (int from = 0; from < rows; from += BLOCK) {
            int m = Math.min(BLOCK, rows - from);
            for (int i = 0; i < m; i++) {
                int in = (from + i) * width;
                int prev = previous[from + i];
                for (int q = 0; q < gru.in; q++) {
                    xb[q * BLOCK + i] = xs[in + column[q]];
                }
                for (int q = 0; q < units; q++) {
                    hb[q * BLOCK + i] = states(prev)[stateFrom(prev) + q];
                }
            }
            ops.multiply(xb, 0, BLOCK, gru.in, m, dgx, from * gates, dWx, 0, gates, gates);
            ops.multiply(hb, 0, BLOCK, units, m, dgh, from * gates, dWh, 0, gates, gates);
            ops.multiply(ones, 0, BLOCK, 1, m, dgx, from * gates, dbx, 0, gates, gates);
            ops.multiply(ones, 0, BLOCK, 1, m, dgh, from * gates, dbh, 0, gates, gates);
        }
        for (int gate = 0; gate < 3; gate++) {
            for (int u = 0; u < units; u++) {
                int row = gate * units + u;
                int col = gate * padded + u;
                for (int q = 0; q < gru.in; q++) {
                    gru.wx.grad[row * gru.in + q] += dWx[q * gates + col];
                }
                for (int q = 0; q < units; q++) {
                    gru.wh.grad[row * units + q] += dWh[q * gates + col];
                }
                gru.bx.grad[row] += dbx[col];
                gru.bh.grad[row] += dbh[col];
            }
        }
    }
}
