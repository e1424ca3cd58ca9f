package io.seqclust.model.engine;

import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.serving.FloatOps;

import java.util.List;

/**
 * The teacher-forced decoder over the packed batch in float32: step t of each sequence reads the true value
 * of step t − 1 (zeros at step 0), so the whole input is known before the pass, and the decoder is one
 * {@link PackedGru} pass from the given initial states, then the readout and the squared error row by row.
 * The same loss and gradients as the {@link JavaDecoderEngine} to float precision ({@code EngineTest}); the
 * free-running decoder, whose input is its own previous output, stays on that one.
 */
final class PackedDecoderEngine implements DecoderEngine {

    private final ReconstructionDecoder decoder;
    private final FloatOps ops;

    PackedDecoderEngine(ReconstructionDecoder decoder, FloatOps ops) {
        if (decoder.feed != ReconstructionDecoder.Feed.TEACHER_FORCING) {
            throw new IllegalArgumentException("the packed decoder is teacher-forced only");
        }
        this.decoder = decoder;
        this.ops = ops;
    }

    @Override
    public Result reconstruct(List<double[][]> targets, double[][] initial, boolean backward) {
        Packing packing = Packing.of(targets);
        int dims = decoder.dims;
        int rows = packing.rows();
        int n = packing.size();
        PackedGru gru = new PackedGru(decoder.gru, null, dims, ops, packing);
        int units = gru.units;
        int padded = gru.padded;
        float[] x = packing.values(targets, dims);
        float[] shifted = new float[x.length];
        for (int s = 1; s < packing.steps(); s++) {
            System.arraycopy(x, packing.offsets()[s - 1] * dims, shifted, packing.offsets()[s] * dims, packing.running(s) * dims);
        }
        float[] start = new float[n * padded];
        for (int j = 0; j < n; j++) {
            double[] h0 = initial[packing.order()[j]];
            for (int u = 0; u < units; u++) {
                start[j * padded + u] = (float) h0[u];
            }
        }
        gru.forward(shifted, start);
        double scale = 1.0 / ReconstructionDecoder.valueCount(targets);
        double[] w = decoder.readout.w.value;
        double[] b = decoder.readout.b.value;
        double[] dW = decoder.readout.w.grad;
        double[] db = decoder.readout.b.grad;
        float[] h = gru.h;
        float[] dStates = backward ? new float[rows * padded] : null;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dims; d++) {
                double y = b[d];
                for (int u = 0; u < units; u++) {
                    y += w[d * units + u] * h[r * padded + u];
                }
                double e = y - x[r * dims + d];
                loss += e * e * scale;
                if (backward) {
                    double dy = 2 * e * scale;
                    db[d] += dy;
                    for (int u = 0; u < units; u++) {
                        dW[d * units + u] += dy * h[r * padded + u];
                        dStates[r * padded + u] += (float) (dy * w[d * units + u]);
                    }
                }
            }
        }
        if (!backward) {
            return new Result(loss, null);
        }
        float[] dStart = new float[n * padded];
        gru.backward(dStates, 1, 0, null, dStart, false);
        double[][] dInitial = new double[n][units];
        for (int j = 0; j < n; j++) {
            double[] g = dInitial[packing.order()[j]];
            for (int u = 0; u < units; u++) {
                g[u] = dStart[j * padded + u];
            }
        }
        return new Result(loss, dInitial);
    }
}
