package io.seqclust.model.serving;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

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
                ops.gruGates(1, gx, gh, 0, prev, 0, padded, kept, h[s + 1], 0, padded);
            }
            return h;
        }

        /**
         * {@link #run} over a batch at once: at each step, the inputs and previous states of the sequences still
         * running as one matrix each, so that both products are matrix–matrix ones (each row as {@link #run}
         * computes it). Projecting all steps' inputs first is slower: the projections of a batch outgrow the cache.
         *
         * @param inputs  the batch, longest first, each {@code lengths[b]} rows of {@code in} values in time order, flat
         * @return the states in step order: [0] the zero initial states, [s + 1] after step s, one row of {@code padded}
         * floats per sequence still running at step s (a prefix of the batch, as it is sorted by length)
         */
        float[][] runAll(float[][] inputs, int[] lengths, FloatOps ops) {
            int batch = inputs.length;
            int steps = lengths[0];
            int gates = 3 * padded;
            float[][] h = new float[steps + 1][];
            h[0] = new float[batch * padded];
            float[] x = new float[batch * in];
            float[] gx = new float[batch * gates];
            float[] gh = new float[batch * gates];
            float[] kept = new float[batch * gates];
            int running = batch;
            for (int s = 0; s < steps; s++) {
                while (lengths[running - 1] <= s) {
                    running--;
                }
                float[] prev = h[Math.max(0, s + 1 - dilation)];
                for (int b = 0; b < running; b++) {
                    System.arraycopy(inputs[b], (reverse ? lengths[b] - 1 - s : s) * in, x, b * in, in);
                    System.arraycopy(bx, 0, gx, b * gates, gates);
                    System.arraycopy(bh, 0, gh, b * gates, gates);
                }
                ops.multiply(x, 0, in, running, in, wx, 0, gx, 0, gates, gates);
                ops.multiply(prev, 0, padded, running, units, wh, 0, gh, 0, gates, gates);
                h[s + 1] = new float[running * padded];
                ops.gruGates(running, gx, gh, 0, prev, 0, padded, kept, h[s + 1], 0, padded);
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

    /**
     * The encodings of a batch of sequences (each T × in, T ≥ 1), each as {@link #encode} gives it, in one pass
     * of matrix–matrix products: faster per sequence than one at a time ({@code bench --online}). Safe from many
     * threads.
     */
    public double[][] encodeAll(List<double[][]> xs) {
        Integer[] order = new Integer[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> xs.get(i).length).reversed());
        int[] lengths = new int[order.length];
        float[][] input = new float[order.length][];
        for (int b = 0; b < order.length; b++) {
            double[][] x = xs.get(order[b]);
            int in = x[0].length;
            lengths[b] = x.length;
            input[b] = new float[x.length * in];
            for (int t = 0; t < x.length; t++) {
                for (int i = 0; i < in; i++) {
                    input[b][t * in + i] = (float) x[t][i];
                }
            }
        }
        double[][] encodings = new double[order.length][outputSize];
        for (int l = 0; l < forward.length; l++) {
            float[][] f = forward[l].runAll(input, lengths, ops);
            float[][] r = backward[l].runAll(input, lengths, ops);
            int units = forward[l].units();
            int padded = forward[l].padded();
            for (int b = 0; b < order.length; b++) {
                int steps = lengths[b];
                if (offsets[l] >= 0) {
                    double[] encoding = encodings[order[b]];
                    for (int u = 0; u < units; u++) {
                        encoding[offsets[l] + u] = f[steps][b * padded + u];
                        encoding[offsets[l] + units + u] = r[steps][b * padded + u];
                    }
                }
                if (l + 1 < forward.length) {
                    float[] next = new float[steps * 2 * units];
                    for (int t = 0; t < steps; t++) {
                        System.arraycopy(f[t + 1], b * padded, next, t * 2 * units, units);
                        System.arraycopy(r[steps - t], b * padded, next, t * 2 * units + units, units);
                    }
                    input[b] = next;
                }
            }
        }
        return encodings;
    }
}
