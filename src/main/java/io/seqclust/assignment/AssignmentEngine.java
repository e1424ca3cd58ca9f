package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.SequenceParser;

/**
 * Parse → validate → assign: the one code path behind the topology and {@code POST /api/assign}. Not final
 * so that tests can make it fail on purpose (in the topology test driver, and as a CDI alternative in the
 * service), to check that one failing record does not stop the stream.
 */
public class AssignmentEngine {

    private final SequenceParser parser;

    public AssignmentEngine(SequenceParser parser) {
        this.parser = parser;
    }

    public Sequence parse(byte[] value) throws InvalidSequenceException {
        return parser.parse(value);
    }

    /** The key counts against {@code seqclust.limits.record-bytes} with the value. */
    public Sequence parse(byte[] key, byte[] value) throws InvalidSequenceException {
        return parser.parse(key, value);
    }

    public InputLimits limits() {
        return parser.limits();
    }

    /**
     * @param recordTimestamp used when the sequence carries no timestamp of its own
     */
    public Assignment assign(Sequence sequence, LoadedModel model, long recordTimestamp) throws InvalidSequenceException {
        if (sequence.dims() != model.dims()) {
            throw new InvalidSequenceException(ErrorCode.DIM_MISMATCH, "sequence has D = " + sequence.dims()
                    + " values per step but model " + model.name() + " v" + model.version() + " takes D = " + model.dims());
        }
        LoadedModel.Result r = model.assign(sequence.values());
        return new Assignment(sequence.id(), sequence.source(), r.cluster(), r.probabilities(), r.confidence(),
                model.name(), model.version(), sequence.timestamp() != null ? sequence.timestamp() : recordTimestamp);
    }
}
