package io.seqclust.model;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a training batch through the recurrent encoder and back: the expensive part of a step, behind
 * one interface so that it runs in plain Java on the CPU cores or on ND4J (its CPU backend, or CUDA in
 * the gpu build). Both read the encoder's {@link Param} values and add to their gradients, so a network
 * trains the same either way and its checkpoint does not depend on where it was trained. Serving one
 * sequence at a time always uses the Java pass, which has no per-call overhead.
 */
public interface EncoderEngine {

    enum Kind {
        /** ND4J when its CUDA backend is on the class path (the gpu build); Java otherwise. */
        auto,
        /** Plain Java over the CPU cores: the fastest on the CPU (see README's benchmark). */
        java,
        /** ND4J on whichever backend is on the class path. */
        nd4j;

        public Kind resolve() {
            if (this != auto) {
                return this;
            }
            return Nd4jEncoderEngine.cudaPresent() ? nd4j : java;
        }
    }

    /**
     * Encodes the batch (n × the encoder's output size), hands the encodings to {@code head}, and
     * back-propagates the gradient it returns into the encoder's parameter accumulators; a null
     * gradient means forward only.
     */
    void run(List<double[][]> batch, UnaryOperator<double[][]> head);

    static EncoderEngine create(Kind kind, BiGruEncoder encoder) {
        return switch (kind.resolve()) {
            case nd4j -> new Nd4jEncoderEngine(encoder);
            default -> new JavaEncoderEngine(encoder);
        };
    }
}
