package io.seqclust.model.engine;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The encoder passes on ND4J, the whole batch per time step (so that the work per call is n rows, not
 * one): the same gate equations as {@link Gru}, in double precision, on whichever ND4J backend is on
 * the class path (nd4j-native, or nd4j-cuda in the gpu build).
 * <p>
 * Variable lengths without leaks: the batch is padded to its longest sequence, and at step t a mask
 * keeps the state of every sequence already past its end, h ← h + m_t ⊙ (h' − h); the mask also zeroes
 * those steps' gradients, so padding reaches neither a state nor a parameter. The reverse direction
 * reads each sequence reversed within its own length (a row permutation, its own inverse), so both
 * directions start at step 0 and their final states are those after the last step.
 * <p>
 * Every array of a step lives in one ND4J workspace, released as a whole when the step ends: native
 * memory stays flat without waiting for the garbage collector.
 */
final class Nd4jEncoderEngine implements EncoderEngine {

    static final DataType TYPE = DataType.DOUBLE;
    private static final String WORKSPACE = "seqclust-encoder-step";
    private static final String TIME_STEP = "seqclust-time-step";
    static final WorkspaceConfiguration STEP = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.3)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Whether any ND4J engine was built in this process: only then is there ND4J memory to release. */
    static volatile boolean used;

    private final BiGruEncoder encoder;

    Nd4jEncoderEngine(BiGruEncoder encoder) {
        limitCpuThreads();
        used = true;
        this.encoder = encoder;
    }

    /** Frees the workspaces ND4J keeps for the calling thread between steps (native memory, gigabytes for DTCR). */
    static void releaseWorkspaces() {
        if (used) {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    /**
     * On the CPU each call here works on a few thousand numbers, where OpenMP's fork and join cost more than
     * they save: one thread ran a training step 2.2x as fast as two on a 2-core machine (README's
     * benchmark). OMP_NUM_THREADS, when set, wins.
     */
    private static boolean threadsLimited;

    static synchronized void limitCpuThreads() {
        if (!threadsLimited && !EngineKind.cudaPresent() && System.getenv("OMP_NUM_THREADS") == null) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
        }
        threadsLimited = true;
    }

    /** The batch as ND4J sees it: time-major rows (step t, sequence b at row t·n + b), padded with zeros. */
    static final class Batch {
        final int n;
        final int steps;
        final INDArray x;
        final INDArray[] keep;
        final INDArray[] carry;
        /** Row permutation reversing each sequence within its length; padding rows stay in place. */
        final int[] reverse;

        Batch(List<double[][]> batch) {
            n = batch.size();
            int longest = 0;
            for (double[][] s : batch) {
                longest = Math.max(longest, s.length);
            }
            steps = longest;
            int dims = batch.get(0)[0].length;
            double[] flat = new double[steps * n * dims];
            reverse = new int[steps * n];
            double[][] mask = new double[steps][n];
            for (int b = 0; b < n; b++) {
                double[][] s = batch.get(b);
                for (int t = 0; t < steps; t++) {
                    int row = t * n + b;
                    if (t < s.length) {
                        System.arraycopy(s[t], 0, flat, row * dims, dims);
                        mask[t][b] = 1;
                        reverse[row] = (s.length - 1 - t) * n + b;
                    } else {
                        reverse[row] = row;
                    }
                }
            }
            x = Nd4j.create(flat, new long[] {(long) steps * n, dims}, TYPE);
            keep = new INDArray[steps];
            carry = new INDArray[steps];
            for (int t = 0; t < steps; t++) {
                keep[t] = Nd4j.create(mask[t], new long[] {n, 1}, TYPE);
                carry[t] = keep[t].rsub(1);
            }
        }

        INDArray rows(INDArray a, int t) {
            return a.get(NDArrayIndex.interval((long) t * n, (long) (t + 1) * n), NDArrayIndex.all());
        }

        INDArray reversed(INDArray a) {
            return Nd4j.pullRows(a, 1, reverse);
        }
    }

    /**
     * One direction of one GRU over a batch: its input (in its reading order) and what backward needs. With
     * a dilation d, step t reads the state after step t − d; a sequence past its end carries the state after
     * the previous step, so its last state stays the one after its last real step.
     */
    static final class Pass {
        final Gru gru;
        final int hidden;
        final INDArray input;
        final INDArray[] states;
        final INDArray[] rz;
        final INDArray[] hn;
        final INDArray[] cand;
        final INDArray wx;
        final INDArray wh;

        /** @param initial the state before the first step (n × hidden), or null for zeros */
        Pass(Gru gru, INDArray input, Batch b, INDArray initial) {
            this.gru = gru;
            this.hidden = gru.hidden;
            this.input = input;
            int h3 = 3 * hidden;
            wx = Nd4j.create(gru.wx.value, new long[] {h3, gru.in}, TYPE);
            wh = Nd4j.create(gru.wh.value, new long[] {h3, hidden}, TYPE);
            INDArray bh = Nd4j.create(gru.bh.value, new long[] {1, h3}, TYPE);
            INDArray whT = wh.transpose();
            INDArray gx = input.mmul(wx.transpose()).addiRowVector(Nd4j.create(gru.bx.value, new long[] {1, h3}, TYPE));
            states = new INDArray[b.steps + 1];
            rz = new INDArray[b.steps];
            hn = new INDArray[b.steps];
            cand = new INDArray[b.steps];
            states[0] = initial != null ? initial : Nd4j.zeros(TYPE, b.n, hidden);
            for (int t = 0; t < b.steps; t++) {
                INDArray hPrev = states[previous(t)];
                INDArray gxt = b.rows(gx, t);
                INDArray gh = hPrev.mmul(whT).addiRowVector(bh);
                rz[t] = Transforms.sigmoid(gxt.get(cols(hidden, 0, 2)).add(gh.get(cols(hidden, 0, 2))), false);
                hn[t] = gh.get(cols(hidden, 2, 3));
                cand[t] = Transforms.tanh(gxt.get(cols(hidden, 2, 3)).add(hn[t].mul(rz[t].get(cols(hidden, 0, 1)))), false);
                INDArray next = hPrev.sub(cand[t]).muli(rz[t].get(cols(hidden, 1, 2))).addi(cand[t]);
                states[t + 1] = next.subi(states[t]).muliColumnVector(b.keep[t]).addi(states[t]);
            }
        }

        private int previous(int t) {
            return Math.max(0, t + 1 - gru.dilation);
        }

        INDArray outputs() {
            return Nd4j.vstack(java.util.Arrays.copyOfRange(states, 1, states.length));
        }

        INDArray last() {
            return states[states.length - 1];
        }

        /**
         * Back-propagation through time; adds the parameter gradients to the params' accumulators.
         *
         * @param dOut     dL/d(state after each step), rows as the input's, or null
         * @param dLast    dL/d(last state), or null
         * @param dInitial receives dL/d(initial state) (n × hidden) when not null
         * @return dL/d(input), or null when not wanted
         */
        INDArray backward(Batch b, INDArray dOut, INDArray dLast, boolean inputGrad, INDArray dInitial) {
            // dS[i] gathers dL/d(state i): from above, from the step after it (a finished sequence's carry) and
            // from the step that reads it (t + d)
            INDArray[] dS = new INDArray[b.steps + 1];
            for (int i = 0; i <= b.steps; i++) {
                dS[i] = Nd4j.zeros(TYPE, b.n, hidden);
            }
            if (dLast != null) {
                dS[b.steps].addi(dLast);
            }
            INDArray dGx = Nd4j.create(TYPE, (long) b.steps * b.n, 3L * hidden);
            INDArray dGh = Nd4j.create(TYPE, (long) b.steps * b.n, 3L * hidden);
            INDArray[] hPrevs = new INDArray[b.steps];
            for (int t = b.steps - 1; t >= 0; t--) {
                INDArray dh = dS[t + 1];
                if (dOut != null) {
                    dh.addi(b.rows(dOut, t));
                }
                hPrevs[t] = states[previous(t)];
                // a step's temporaries live in a workspace of their own, recycled every step: kept in the
                // step's workspace they made a 64 + 64 DTCR batch (T ≈ 150) hold gigabytes until the step ended
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, TIME_STEP)) {
                    INDArray r = rz[t].get(cols(hidden, 0, 1));
                    INDArray z = rz[t].get(cols(hidden, 1, 2));
                    INDArray dNew = dh.mulColumnVector(b.keep[t]);
                    INDArray dan = dNew.mul(z.rsub(1)).muli(cand[t].mul(cand[t]).rsubi(1));
                    INDArray daz = dNew.mul(hPrevs[t].sub(cand[t])).muli(z.mul(z.rsub(1)));
                    INDArray dar = dan.mul(hn[t]).muli(r.mul(r.rsub(1)));
                    INDArray gx = b.rows(dGx, t);
                    INDArray gh = b.rows(dGh, t);
                    gx.get(cols(hidden, 0, 1)).assign(dar);
                    gx.get(cols(hidden, 1, 2)).assign(daz);
                    gx.get(cols(hidden, 2, 3)).assign(dan);
                    gh.get(cols(hidden, 0, 1)).assign(dar);
                    gh.get(cols(hidden, 1, 2)).assign(daz);
                    gh.get(cols(hidden, 2, 3)).assign(dan.muli(r));
                    dS[t].addi(dh.mulColumnVector(b.carry[t]));
                    dS[previous(t)].addi(dNew.muli(z)).addi(gh.mmul(wh));
                }
            }
            accumulate(gru.wx.grad, dGx.transpose().mmul(input));
            accumulate(gru.bx.grad, dGx.sum(0));
            accumulate(gru.wh.grad, dGh.transpose().mmul(Nd4j.vstack(hPrevs)));
            accumulate(gru.bh.grad, dGh.sum(0));
            if (dInitial != null) {
                dInitial.assign(dS[0]);
            }
            return inputGrad ? dGx.mmul(wx) : null;
        }
    }

    @Override
    public void run(List<double[][]> batch, UnaryOperator<double[][]> head) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, WORKSPACE)) {
            Batch b = new Batch(batch);
            int layers = encoder.layers();
            Pass[] fwd = new Pass[layers];
            Pass[] bwd = new Pass[layers];
            INDArray input = b.x;
            List<INDArray> encoded = new java.util.ArrayList<>();
            for (int l = 0; l < layers; l++) {
                fwd[l] = new Pass(encoder.layer(l, false), input, b, null);
                bwd[l] = new Pass(encoder.layer(l, true), b.reversed(input), b, null);
                if (l < layers - 1) {
                    input = Nd4j.hstack(fwd[l].outputs(), b.reversed(bwd[l].outputs()));
                }
                if (encoder.encodingOffset(l) >= 0) {
                    encoded.add(fwd[l].last());
                    encoded.add(bwd[l].last());
                }
            }
            double[][] dEnc = head.apply(Nd4j.hstack(encoded.toArray(INDArray[]::new)).toDoubleMatrix());
            if (dEnc == null) {
                return;
            }
            INDArray d = Nd4j.create(dEnc).castTo(TYPE);
            INDArray dOutF = null;
            INDArray dOutB = null;
            for (int l = layers - 1; l >= 0; l--) {
                int units = encoder.layer(l, false).hidden;
                int offset = encoder.encodingOffset(l);
                INDArray dLastF = offset < 0 ? null : d.get(span(offset, units)).dup();
                INDArray dLastB = offset < 0 ? null : d.get(span(offset + units, units)).dup();
                INDArray below = fwd[l].backward(b, dOutF, dLastF, l > 0, null);
                INDArray belowRev = bwd[l].backward(b, dOutB, dLastB, l > 0, null);
                if (l > 0) {
                    int unitsBelow = encoder.layer(l - 1, false).hidden;
                    below.addi(b.reversed(belowRev));
                    dOutF = below.get(span(0, unitsBelow)).dup();
                    dOutB = b.reversed(below.get(span(unitsBelow, unitsBelow)).dup());
                }
            }
        }
    }

    /** Columns [from·width, to·width) of a matrix whose columns are blocks of the given width (gates). */
    private static INDArrayIndex[] cols(int width, int from, int to) {
        return span(from * width, (to - from) * width);
    }

    private static INDArrayIndex[] span(int from, int width) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, from + width)};
    }

    /** Adds an ND4J gradient into a parameter's accumulator. */
    static void accumulate(double[] grad, INDArray g) {
        double[] v = g.dup('c').reshape(g.length()).toDoubleVector();
        for (int i = 0; i < grad.length; i++) {
            grad[i] += v[i];
        }
    }
}
