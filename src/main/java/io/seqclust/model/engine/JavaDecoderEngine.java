package io.seqclust.model.engine;

import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.Param;
import io.seqclust.model.layer.ReconstructionDecoder;

import java.util.Arrays;
import java.util.List;

/** The decoder one sequence at a time, the batch spread over the CPU cores, each worker with a replica of its own. */
final class JavaDecoderEngine implements DecoderEngine {

    private final ReconstructionDecoder[] replicas;
    private final List<List<Param>> replicaParams;

    JavaDecoderEngine(ReconstructionDecoder decoder) {
        replicas = Workers.replicas(decoder, ReconstructionDecoder::replica, ReconstructionDecoder[]::new);
        replicaParams = Arrays.stream(replicas).map(ReconstructionDecoder::params).toList();
    }

    @Override
    public Result reconstruct(List<double[][]> targets, double[][] initial, boolean backward) {
        int n = targets.size();
        double scale = 1.0 / ReconstructionDecoder.valueCount(targets);
        Gru.Weights w = replicas[0].gru.weights();
        double[] losses = new double[n];
        double[][] dInitial = backward ? new double[n][initial[0].length] : null;
        Workers.Task body = (worker, i) -> losses[i] = replicas[worker].reconstruct(targets.get(i), initial[i], w, scale,
                backward ? dInitial[i] : null);
        if (backward) {
            Workers.accumulate(n, replicaParams, body);
        } else {
            Workers.parallel(n, replicas.length, body);
        }
        double loss = 0;
        for (double l : losses) {
            loss += l;
        }
        return new Result(loss, dInitial);
    }
}
