package io.seqclust.model.engine;

import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.serving.FloatOps;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a training batch through the recurrent encoder and back: the expensive part of a step, behind
 * one interface so that it runs in float32 over the packed batch, in double precision one sequence at a
 * time, or on ND4J (its CPU backend, or CUDA in the gpu build). All read the encoder's parameter values and
 * add to their gradients, so a network trains the same either way (to float precision for the packed
 * engine) and its checkpoint does not depend on where it was trained.
 */
public interface EncoderEngine {

    /**
     * Encodes the batch (n × the encoder's output size), hands the encodings to {@code head}, and
     * back-propagates the gradient it returns into the encoder's parameter accumulators; a null
     * gradient means forward only.
     */
    void run(List<double[][]> batch, UnaryOperator<double[][]> head);

    static EncoderEngine create(EngineKind kind, BiGruEncoder encoder) {
        return switch (kind.resolve()) {
            case ND4J -> new Nd4jEncoderEngine(encoder);
            case PACKED -> new PackedEncoderEngine(encoder, FloatOps.best());
            default -> new JavaEncoderEngine(encoder);
        };
    }
}
