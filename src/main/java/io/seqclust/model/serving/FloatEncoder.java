package io.seqclust.model.serving;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;

import java.util.Arrays;
import java.util.Collections;
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
         * {@link #run} over a batch at once: at each step, the inputs and previous states of the sequences still
         * running as one matrix each, so that both products are matrix–matrix ones (each row as {@link #run}
         * computes it). Projecting all steps' inputs first is slower: the projections of a batch outgrow the cache.
         * The states live in a ring of {@code dilation + 1} slots, as only those are read again, and each is copied
         * out where it is wanted as it is made.
         *
         * @param input   the batch, longest first: sequence b is {@code lengths[b]} rows of {@code in} values in time
         *                order, from {@code input[starts[b] * in]}
         * @param next    where each state goes, or null: sequence b's state at time t goes to row
         *                {@code starts[b] + t} of {@code next} (rows of {@code 2 * units}) from column {@code column}
         * @param last    where each sequence's final state goes, or null: one row of {@code padded} per sequence
         */
        void runAll(float[] input, int[] starts, int[] lengths, FloatOps ops, Workspace work, float[] next, int column,
                    float[] last) {
            int batch = lengths.length;
            int steps = lengths[0];
            int gates = 3 * padded;
            int slot = batch * padded;
            int slots = dilation + 1;
            float[] h = work.array(Workspace.STATES, slots * slot);
            Arrays.fill(h, 0, slot, 0f);
            float[] x = work.array(Workspace.X, batch * in);
            float[] gx = work.array(Workspace.GX, batch * gates);
            float[] gh = work.array(Workspace.GH, batch * gates);
            float[] kept = work.array(Workspace.GATES, batch * gates);
            int running = batch;
            for (int s = 0; s < steps; s++) {
                while (lengths[running - 1] <= s) {
                    running--;
                }
                int prev = Math.max(0, s + 1 - dilation) % slots * slot;
                int state = (s + 1) % slots * slot;
                for (int b = 0; b < running; b++) {
                    System.arraycopy(input, (starts[b] + (reverse ? lengths[b] - 1 - s : s)) * in, x, b * in, in);
                }
                ops.multiplyFrom(bx, x, 0, in, running, in, wx, 0, gx, 0, gates, gates);
                ops.multiplyFrom(bh, h, prev, padded, running, units, wh, 0, gh, 0, gates, gates);
                ops.gruGates(running, gx, gh, 0, h, prev, padded, kept, h, state, padded);
                for (int b = 0; b < running; b++) {
                    if (next != null) {
                        int t = reverse ? lengths[b] - 1 - s : s;
                        System.arraycopy(h, state + b * padded, next, (starts[b] + t) * 2 * units + column, units);
                    }
                    if (last != null && lengths[b] == s + 1) {
                        System.arraycopy(h, state + b * padded, last, b * padded, padded);
                    }
                }
            }
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

    /**
     * The encoding of one sequence (T × in, T ≥ 1), as {@link BiGruEncoder.Weights#encode} gives it: a batch of one,
     * so that it too runs in its thread's kept arrays. A pass of its own made about 200 KB per record of rddc's three
     * networks, which at a light load (a record at a time) was two fifths of what serving allocated, and each young
     * collection it brought on held up the records behind it by 20-35 ms ({@code bench --online} with {@code -Xlog:gc}).
     * Safe from many threads.
     */
    public double[] encode(double[][] x) {
        return encodeAll(Collections.singletonList(x))[0];
    }

    /**
     * The encodings of a batch of sequences (each T × in, T ≥ 1), each as {@link #encode} gives it, in one pass
     * of matrix–matrix products: faster per sequence than one at a time ({@code bench --online}). Safe from many
     * threads: each thread works in arrays of its own, kept from one batch to the next.
     */
    public double[][] encodeAll(List<double[][]> xs) {
        Integer[] order = new Integer[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> xs.get(i).length).reversed());
        int[] lengths = new int[order.length];
        int[] starts = new int[order.length];
        int rows = 0;
        for (int b = 0; b < order.length; b++) {
            lengths[b] = xs.get(order[b]).length;
            starts[b] = rows;
            rows += lengths[b];
        }
        Workspace work = Workspace.OF_THREAD.get();
        int in = forward[0].in();
        float[] input = work.array(Workspace.INPUTS, rows * in);
        for (int b = 0; b < order.length; b++) {
            double[][] x = xs.get(order[b]);
            for (int t = 0; t < x.length; t++) {
                for (int i = 0; i < in; i++) {
                    input[(starts[b] + t) * in + i] = (float) x[t][i];
                }
            }
        }
        double[][] encodings = new double[order.length][outputSize];
        for (int l = 0; l < forward.length; l++) {
            int units = forward[l].units();
            int padded = forward[l].padded();
            float[] next = l + 1 < forward.length ? work.array(Workspace.INPUTS + (l + 1) % 2, rows * 2 * units) : null;
            float[] f = offsets[l] >= 0 ? work.array(Workspace.LAST, order.length * padded) : null;
            float[] r = offsets[l] >= 0 ? work.array(Workspace.LAST + 1, order.length * padded) : null;
            forward[l].runAll(input, starts, lengths, ops, work, next, 0, f);
            backward[l].runAll(input, starts, lengths, ops, work, next, units, r);
            if (offsets[l] >= 0) {
                for (int b = 0; b < order.length; b++) {
                    double[] encoding = encodings[order[b]];
                    for (int u = 0; u < units; u++) {
                        encoding[offsets[l] + u] = f[b * padded + u];
                        encoding[offsets[l] + units + u] = r[b * padded + u];
                    }
                }
            }
            input = next;
        }
        return encodings;
    }

    /**
     * A thread's working arrays for {@link #encodeAll}, kept between batches: made for each batch, they were about
     * 80 KB per sequence for each of rddc's networks (T = 100; counted), two thirds of what serving allocated per
     * record, all of it zeroed and new to the cache. An array larger than {@link #KEPT} floats is made for its batch
     * only, so that a thread keeps a few MB at most.
     */
    static final class Workspace {

        static final int KEPT = 1 << 20;
        static final ThreadLocal<Workspace> OF_THREAD = ThreadLocal.withInitial(Workspace::new);
        /** A layer reads its inputs from one of these two and writes the next layer's into the other. */
        static final int INPUTS = 0;
        /** The forward and backward final states. */
        static final int LAST = 2;
        static final int STATES = 4;
        static final int X = 5;
        static final int GX = 6;
        static final int GH = 7;
        static final int GATES = 8;

        private final float[][] arrays = new float[9][];

        /** An array of at least n floats (not zeroed), for the use named by {@code which}. */
        float[] array(int which, int n) {
            float[] a = arrays[which];
            if (a != null && a.length >= n) {
                return a;
            }
            a = new float[n];
            if (n <= KEPT) {
                arrays[which] = a;
            }
            return a;
        }
    }
}
