package io.seqclust.model.engine;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.serving.FloatOps;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The encoder passes in float32 over the whole batch at once, packed by time step ({@link Packing}): each
 * step's recurrent product covers the sequences still running, and no padding enters a state. The input
 * projections, the weight gradients and the input gradients are products over all rows at once; only the
 * recurrent product and the gates go step by step. The arithmetic is {@link FloatOps}' (the Vector API's
 * where present), each gate block padded to the vector width with zero weights, so padded units stay at
 * zero. The two directions of a layer run on two cores. The same encodings and gradients as the
 * double-precision {@link JavaEncoderEngine} to float precision ({@code EngineTest}); the gradient checks
 * run on that one.
 */
final class PackedEncoderEngine implements EncoderEngine {

    /** Rows per block of the weight gradients' products: 64 rows of gate gradients are 24 KB at 32 units. */
    private static final int BLOCK = 64;

    private final BiGruEncoder encoder;
    private final FloatOps ops;
    private final int workers;

    PackedEncoderEngine(BiGruEncoder encoder, FloatOps ops) {
        this.encoder = encoder;
        this.ops = ops;
        workers = Math.min(2, Workers.available());
    }

    @Override
    public void run(List<double[][]> batch, UnaryOperator<double[][]> head) {
        Packing packing = Packing.of(batch);
        int layers = encoder.layers();
        Direction[][] dirs = new Direction[layers][];
        float[][] inputs = new float[layers][];
        inputs[0] = packing.values(batch, encoder.in);
        for (int l = 0; l < layers; l++) {
            Direction below = l == 0 ? null : dirs[l - 1][0];
            int width = l == 0 ? encoder.in : 2 * below.padded;
            dirs[l] = new Direction[] {
                    new Direction(encoder.layer(l, false), below, width, ops, packing),
                    new Direction(encoder.layer(l, true), below, width, ops, packing)};
            float[] input = inputs[l];
            Direction[] layer = dirs[l];
            Workers.parallel(2, workers, (worker, d) -> layer[d].forward(input));
            if (l + 1 < layers) {
                inputs[l + 1] = layerOutput(layer[0], layer[1], packing);
            }
        }
        double[][] dEncoding = head.apply(encodings(dirs, packing));
        if (dEncoding == null) {
            return;
        }
        float[] dOutput = null;
        for (int l = layers - 1; l >= 0; l--) {
            Direction[] layer = dirs[l];
            float[] dOut = dOutput;
            int offset = encoder.encodingOffset(l);
            boolean inputGrad = l > 0;
            float[][] dInput = new float[2][];
            Workers.parallel(2, workers, (worker, d) -> {
                float[] dLast = offset < 0 ? null : lastGradient(dEncoding, offset + d * layer[d].units, layer[d], packing);
                dInput[d] = layer[d].backward(dOut, d, dLast, inputGrad);
            });
            if (inputGrad) {
                for (int i = 0; i < dInput[0].length; i++) {
                    dInput[0][i] += dInput[1][i];
                }
                dOutput = dInput[0];
            }
        }
    }

    /** Each row of the next layer's input: the forward state at that time step, then the backward one. */
    private static float[] layerOutput(Direction fwd, Direction bwd, Packing packing) {
        int p = fwd.padded;
        float[] out = new float[packing.rows() * 2 * p];
        for (int r = 0; r < packing.rows(); r++) {
            System.arraycopy(fwd.h, r * p, out, r * 2 * p, p);
            System.arraycopy(bwd.h, packing.reverse()[r] * p, out, r * 2 * p + p, p);
        }
        return out;
    }

    /** Each sequence's encoding in batch order: the final states of the layers the encoding holds. */
    private double[][] encodings(Direction[][] dirs, Packing packing) {
        double[][] enc = new double[packing.size()][encoder.outputSize()];
        for (int l = 0; l < dirs.length; l++) {
            int offset = encoder.encodingOffset(l);
            if (offset < 0) {
                continue;
            }
            for (int d = 0; d < 2; d++) {
                Direction dir = dirs[l][d];
                for (int j = 0; j < packing.size(); j++) {
                    double[] e = enc[packing.order()[j]];
                    int from = packing.lastRow(j) * dir.padded;
                    for (int u = 0; u < dir.units; u++) {
                        e[offset + d * dir.units + u] = dir.h[from + u];
                    }
                }
            }
        }
        return enc;
    }

    /** dL/d(final state) of one direction, by sorted position, from the encoding's gradient at {@code from}. */
    private static float[] lastGradient(double[][] dEncoding, int from, Direction dir, Packing packing) {
        float[] dLast = new float[packing.size() * dir.padded];
        for (int j = 0; j < packing.size(); j++) {
            double[] g = dEncoding[packing.order()[j]];
            for (int u = 0; u < dir.units; u++) {
                dLast[j * dir.padded + u] = (float) g[from + u];
            }
        }
        return dLast;
    }

    /**
     * One direction of one layer over the packed batch: its weights in float32 (gate blocks padded to the
     * vector width), and what its forward pass kept for backward. Rows are in step order: row r of the
     * reverse direction is step r of its sequence read backwards, whose input is the input row
     * {@code reverse[r]}.
     */
    private static final class Direction {
        final Gru gru;
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

        Direction(Gru gru, Direction below, int width, FloatOps ops, Packing packing) {
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
            int rows = packing.rows();
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
                // the states this step reads are rows of one earlier step, the same prefix of the sequences
                if (s >= gru.dilation) {
                    ops.multiply(h, packing.offsets()[s - gru.dilation] * padded, padded, running, units, whRows, 0, gh,
                            first * gates, gates, gates);
                }
                for (int r = first; r < first + running; r++) {
                    int prev = previous[r];
                    ops.gruGates(gx, gh, r * gates, prev >= 0 ? h : zeros, Math.max(prev, 0) * padded, kept, h, r * padded, padded);
                }
            }
        }

        /**
         * Back-propagation through the pass; adds the parameter gradients to the GRU's accumulators.
         *
         * @param dOutput dL/d(this layer's output), rows of both directions (this one's half at {@code half}), or null
         * @param dLast   dL/d(final state) by sorted position, or null
         * @return dL/d(input) as rows of the input, or null without {@code inputGrad}
         */
        float[] backward(float[] dOutput, int half, float[] dLast, boolean inputGrad) {
            int rows = packing.rows();
            float[] dh = new float[rows * padded];
            if (dOutput != null) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(dOutput, (source(r) * 2 + half) * padded, dh, r * padded, padded);
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
                    ops.gruBackward(kept, gh, r * gates, prev >= 0 ? h : zeros, Math.max(prev, 0) * padded, dh, r * padded,
                            prev >= 0 ? dh : discard, Math.max(prev, 0) * padded, dgx, dgh, padded);
                }
                if (s >= gru.dilation) {
                    ops.multiply(dgh, first * gates, gates, running, gates, whGates, 0, dh,
                            packing.offsets()[s - gru.dilation] * padded, padded, padded);
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
                        hb[q * BLOCK + i] = prev >= 0 ? h[prev * padded + q] : 0;
                    }
                }
                ops.multiply(xb, 0, BLOCK, gru.in, m, dgx, from * gates, dWx, 0, gates, gates);
                ops.multiply(hb, 0, BLOCK, units, m, dgh, from * gates, dWh, 0, gates, gates);
                ops.addRows(ones, 0, m, dgx, from * gates, dbx, 0, gates);
                ops.addRows(ones, 0, m, dgh, from * gates, dbh, 0, gates);
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
}
