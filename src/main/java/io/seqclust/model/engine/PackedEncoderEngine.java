package io.seqclust.model.engine;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.serving.FloatOps;

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
        PackedGru[][] dirs = new PackedGru[layers][];
        float[] input = packing.values(batch, encoder.in);
        for (int l = 0; l < layers; l++) {
            PackedGru below = l == 0 ? null : dirs[l - 1][0];
            int width = l == 0 ? encoder.in : 2 * below.padded;
            dirs[l] = new PackedGru[] {
                    new PackedGru(encoder.layer(l, false), below, width, ops, packing),
                    new PackedGru(encoder.layer(l, true), below, width, ops, packing)};
            PackedGru[] layer = dirs[l];
            float[] x = input;
            Workers.parallel(2, workers, (worker, d) -> layer[d].forward(x));
            if (l + 1 < layers) {
                input = layerOutput(layer[0], layer[1], packing);
            }
        }
        double[][] dEncoding = head.apply(encodings(dirs, packing));
        if (dEncoding == null) {
            return;
        }
        float[] dOutput = null;
        for (int l = layers - 1; l >= 0; l--) {
            PackedGru[] layer = dirs[l];
            float[] dOut = dOutput;
            int offset = encoder.encodingOffset(l);
            boolean inputGrad = l > 0;
            float[][] dInput = new float[2][];
            Workers.parallel(2, workers, (worker, d) -> {
                float[] dLast = offset < 0 ? null : lastGradient(dEncoding, offset + d * layer[d].units, layer[d], packing);
                dInput[d] = layer[d].backward(dOut, 2, d, dLast, null, inputGrad);
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
    private static float[] layerOutput(PackedGru fwd, PackedGru bwd, Packing packing) {
        int p = fwd.padded;
        float[] out = new float[packing.rows() * 2 * p];
        for (int r = 0; r < packing.rows(); r++) {
            System.arraycopy(fwd.h, r * p, out, r * 2 * p, p);
            System.arraycopy(bwd.h, packing.reverse()[r] * p, out, r * 2 * p + p, p);
        }
        return out;
    }

    /** Each sequence's encoding in batch order: the final states of the layers the encoding holds. */
    private double[][] encodings(PackedGru[][] dirs, Packing packing) {
        double[][] enc = new double[packing.size()][encoder.outputSize()];
        for (int l = 0; l < dirs.length; l++) {
            int offset = encoder.encodingOffset(l);
            if (offset < 0) {
                continue;
            }
            for (int d = 0; d < 2; d++) {
                PackedGru dir = dirs[l][d];
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
    private static float[] lastGradient(double[][] dEncoding, int from, PackedGru dir, Packing packing) {
        float[] dLast = new float[packing.size() * dir.padded];
        for (int j = 0; j < packing.size(); j++) {
            double[] g = dEncoding[packing.order()[j]];
            for (int u = 0; u < dir.units; u++) {
                dLast[j * dir.padded + u] = (float) g[from + u];
            }
        }
        return dLast;
    }
}
