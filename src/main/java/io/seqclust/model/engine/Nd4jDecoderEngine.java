package io.seqclust.model.engine;

import io.seqclust.model.layer.Dense;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.ReconstructionDecoder;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

/**
 * The teacher-forced decoder on ND4J, the whole batch per step, padded and masked as in
 * {@link Nd4jEncoderEngine}: the same equations as {@link ReconstructionDecoder}'s Java pass, for the nd4j engine
 * (the CUDA backend in the gpu build). A free-running decoder reads its own output, one readout per step
 * and sequence; it stays on the Java pass.
 */
final class Nd4jDecoderEngine implements DecoderEngine {

    private static final String WORKSPACE = "seqclust-decoder-step";

    private final Gru gru;
    private final Dense readout;

    Nd4jDecoderEngine(ReconstructionDecoder decoder) {
        Nd4jEncoderEngine.limitCpuThreads();
        Nd4jEncoderEngine.used = true;
        gru = decoder.gru;
        readout = decoder.readout;
    }

    @Override
    public Result reconstruct(List<double[][]> targets, double[][] initial, boolean backward) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(Nd4jEncoderEngine.STEP, WORKSPACE)) {
            Nd4jEncoderEngine.Batch truth = new Nd4jEncoderEngine.Batch(targets);
            // teacher forcing, time-major: step t reads step t − 1's rows (zeros at t = 0); what a padding row
            // reads is masked away
            INDArray shifted = Nd4j.zeros(Nd4jEncoderEngine.TYPE, (long) truth.steps * truth.n, readout.out);
            if (truth.steps > 1) {
                shifted.get(NDArrayIndex.interval((long) truth.n, (long) truth.steps * truth.n), NDArrayIndex.all())
                        .assign(truth.x.get(NDArrayIndex.interval(0, (long) (truth.steps - 1) * truth.n), NDArrayIndex.all()));
            }
            Nd4jEncoderEngine.Pass pass = new Nd4jEncoderEngine.Pass(gru, shifted, truth, Nd4j.create(initial).castTo(Nd4jEncoderEngine.TYPE));
            INDArray states = pass.outputs();
            INDArray w = Nd4j.create(readout.w.value, new long[] {readout.out, readout.in}, Nd4jEncoderEngine.TYPE);
            INDArray y = states.mmul(w.transpose()).addiRowVector(Nd4j.create(readout.b.value, new long[] {1, readout.out},
                    Nd4jEncoderEngine.TYPE));
            // padding rows: zero error, so they add neither to the loss nor to a gradient
            INDArray error = y.subi(truth.x).muliColumnVector(Nd4j.vstack(truth.keep));
            long count = ReconstructionDecoder.valueCount(targets);
            double loss = error.mul(error).sumNumber().doubleValue() / count;
            if (!backward) {
                return new Result(loss, null);
            }
            INDArray dy = error.muli(2.0 / count);
            Nd4jEncoderEngine.accumulate(readout.w.grad, dy.transpose().mmul(states));
            Nd4jEncoderEngine.accumulate(readout.b.grad, dy.sum(0));
            INDArray dInitial = Nd4j.zeros(Nd4jEncoderEngine.TYPE, targets.size(), gru.hidden);
            pass.backward(truth, dy.mmul(w), null, false, dInitial);
            return new Result(loss, dInitial.toDoubleMatrix());
        }
    }
}
