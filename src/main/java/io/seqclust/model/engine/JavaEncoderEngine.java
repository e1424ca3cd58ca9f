package io.seqclust.model.engine;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Param;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The encoder passes in plain Java, one sequence at a time for exactly its length (no padding, no
 * masks), the batch's sequences spread over the CPU cores; each worker has a replica of the encoder
 * with gradient accumulators of its own, summed into the master's at the end.
 */
final class JavaEncoderEngine implements EncoderEngine {

    private final BiGruEncoder encoder;
    private final BiGruEncoder[] replicas;
    private final List<List<Param>> replicaParams;

    JavaEncoderEngine(BiGruEncoder encoder) {
        this.encoder = encoder;
        replicas = Workers.replicas(encoder, BiGruEncoder::replica, BiGruEncoder[]::new);
        replicaParams = java.util.Arrays.stream(replicas).map(BiGruEncoder::params).toList();
    }

    @Override
    public void run(List<double[][]> batch, UnaryOperator<double[][]> head) {
        int n = batch.size();
        double[][] enc = new double[n][encoder.outputSize()];
        BiGruEncoder.Trace[] traces = new BiGruEncoder.Trace[n];
        BiGruEncoder.Weights weights = encoder.weights();
        Workers.parallel(n, replicas.length, (worker, i) -> traces[i] = weights.forward(batch.get(i), enc[i]));
        double[][] dEnc = head.apply(enc);
        if (dEnc == null) {
            return;
        }
        Workers.accumulate(n, replicaParams, (worker, i) -> replicas[worker].backward(traces[i], dEnc[i]));
    }
}
