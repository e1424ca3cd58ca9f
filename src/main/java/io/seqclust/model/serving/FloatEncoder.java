package io.seqclust.model.serving;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;

/**
 * A trained bidirectional GRU encoder ({@link BiGruEncoder.Weights}) as serving runs it: float32, each gate
 * block padded to the vector width (padded units have zero weights and stay at zero), no training state —
 * a pass keeps only the states the next layer reads. The same outputs as the double-precision training pass
 * to float precision ({@code FloatEncoderTest}); about 10× faster per sequence (measured with {@code bench
 * --online}).
 */
public final class FloatEncoder {

    private final FloatOps ops;
    private final Direction[] forward;
    private final Direction[] backward;
    private final int[] offsets;
    private final int outputSize;

    /** One direction of one layer. */
    private record Direction(int in, int units, int padded, boolean reverse, int dilation, float[] wx, float[] wh,
                             float[] bx, float[] bh) {

        /** From PyTorch's layout (wx 3H × in, wh 3H × H), rows of 3 padded gate blocks. */
        static Direction of(Gru.Weights w, int width) {
            int h = w.hidden();
            int padded = (h + width - 1) / width * width;
            double[] wx = w.wx();
            double[] wh = w.wh();
            float[] x = new float[w.in() * 3 * padded];
            float[] r = new float[h * 3 * padded];
            float[] bx = new float[3 * padded];
            float[] bh = new float[3 * padded];
            for (int gate = 0; gate < 3; gate++) {
                for (int u = 0; u < h; u++) {
                    int row = gate * h + u;
                    int col = gate * padded + u;
                    for (int i = 0; i < w.in(); i++) {
                        x[i * 3 * padded + col] = (float) wx[row * w.in() + i];
                    }
                    for (int j = 0; j < h; j++) {
                        r[j * 3 * padded + col] = (float) wh[row * h + j];
                    }
                    bx[col] = (float) w.bx()[row];
                    bh[col] = (float) w.bh()[row];
                }
            }
            return new Direction(w.in(), h, padded, w.reverse(), w.dilation(), x, r, bx, bh);
        }

        /**
         * @param input T rows of {@code in} values, in time order
         * @return the states in step order: [0] the zero initial state, [s + 1] the state after step s
         */
        float[][] run(float[][] input, FloatOps ops) {
            int steps = input.length;
            int gates = 3 * padded;
            float[][] h = new float[steps + 1][padded];
            float[] gx = new float[gates];
            float[] gh = new float[gates];
            float[] kept = new float[gates];
            for (int s = 0; s < steps; s++) {
                float[] xt = input[reverse ? steps - 1 - s : s];
                float[] prev = h[Math.max(0, s + 1 - dilation)];
                System.arraycopy(bx, 0, gx, 0, gates);
                System.arraycopy(bh, 0, gh, 0, gates);
                ops.addRows(xt, in, wx, gx, gates);
                ops.addRows(prev, units, wh, gh, gates);
                ops.gruGates(gx, gh, 0, prev, 0, kept, h[s + 1], 0, padded);
            }
            return h;
        }
    }

    public FloatEncoder(BiGruEncoder.Weights weights) {
        this(weights, FloatOps.best());
    }

    FloatEncoder(BiGruEncoder.Weights weights, FloatOps ops) {
        this.ops = ops;
        int layers = weights.layers();
        forward = new Direction[layers];
        backward = new Direction[layers];
        offsets = new int[layers];
        for (int l = 0; l < layers; l++) {
            forward[l] = Direction.of(weights.forward()[l], ops.width());
            backward[l] = Direction.of(weights.backward()[l], ops.width());
            offsets[l] = weights.encodingOffset(l);
        }
        outputSize = weights.outputSize();
    }

    /** The encoding of one sequence (T × in, T ≥ 1), as {@link BiGruEncoder.Weights#encode} gives it. Safe from many threads. */
    public double[] encode(double[][] x) {
        int steps = x.length;
        float[][] input = new float[steps][];
        for (int t = 0; t < steps; t++) {
            input[t] = new float[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                input[t][i] = (float) x[t][i];
            }
        }
        double[] encoding = new double[outputSize];
        for (int l = 0; l < forward.length; l++) {
            float[][] f = forward[l].run(input, ops);
            float[][] b = backward[l].run(input, ops);
            int units = forward[l].units();
            if (offsets[l] >= 0) {
                for (int u = 0; u < units; u++) {
                    encoding[offsets[l] + u] = f[steps][u];
                    encoding[offsets[l] + units + u] = b[steps][u];
                }
            }
            if (l + 1 < forward.length) {
                float[][] next = new float[steps][2 * units];
                for (int t = 0; t < steps; t++) {
                    System.arraycopy(f[t + 1], 0, next[t], 0, units);
                    System.arraycopy(b[steps - t], 0, next[t], units, units);
                }
                input = next;
            }
        }
        return encoding;
    }
}
