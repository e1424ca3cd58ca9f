package io.seqclust.model.engine;

import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.serving.FloatOps;

import java.util.List;

/**
 * Runs DTCR's decoder over a batch, forward and (when asked) back: in plain Java over the CPU cores, or
 * teacher-forced on ND4J. Both add to the decoder's parameter gradients (the caller zeroes them).
 */
public interface DecoderEngine {

    /** The reconstruction loss, and dL/dh per sequence when a backward pass ran (else null). */
    record Result(double loss, double[][] dInitial) {
    }

    /** Reconstructs each target from its initial state; with {@code backward}, also dL/d(initial state). */
    Result reconstruct(List<double[][]> targets, double[][] initial, boolean backward);

    static DecoderEngine create(EngineKind kind, ReconstructionDecoder decoder) {
        check(decoder.feed, kind);
        return switch (kind.resolve()) {
            case ND4J -> new Nd4jDecoderEngine(decoder);
            case PACKED -> decoder.feed == ReconstructionDecoder.Feed.TEACHER_FORCING
                    ? new PackedDecoderEngine(decoder, FloatOps.best()) : new JavaDecoderEngine(decoder);
            default -> new JavaDecoderEngine(decoder);
        };
    }

    /** Rejects a decoder the engine does not run: free-running needs one readout per step and sequence, Java only. */
    static void check(ReconstructionDecoder.Feed feed, EngineKind kind) {
        if (feed == ReconstructionDecoder.Feed.FREE_RUNNING && kind.resolve() == EngineKind.ND4J) {
            throw new IllegalArgumentException("the free-running decoder trains on the java engine only; set the engine to java"
                    + " or the decoder to teacher-forcing");
        }
    }
}
