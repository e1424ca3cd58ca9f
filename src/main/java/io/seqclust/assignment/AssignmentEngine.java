package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.SequenceParser;

import java.util.ArrayList;
import java.util.List;

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
        checkFits(sequence, model);
        return assignment(sequence, model, model.assign(sequence.values()), recordTimestamp);
    }

    /**
     * {@link #assign} of each sequence of a micro-batch, all of which {@link #checkFits fit} the model, in one
     * pass of it; a failure fails the batch (the topology then assigns its records one by one, so that only
     * the record at fault is dead-lettered).
     */
    public List<Assignment> assignAll(List<Sequence> sequences, LoadedModel model, long[] recordTimestamps) {
        List<LoadedModel.Result> results = model.assignAll(sequences.stream().map(Sequence::values).toList());
        List<Assignment> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            out.add(assignment(sequences.get(i), model, results.get(i), recordTimestamps[i]));
        }
        return out;
    }

    public void checkFits(Sequence sequence, LoadedModel model) throws InvalidSequenceException {
        if (sequence.dims() != model.dims()) {
            throw new InvalidSequenceException(ErrorCode.DIM_MISMATCH, "sequence has D = " + sequence.dims()
                    + " values per step but model " + model.name() + " v" + model.version() + " takes D = " + model.dims());
        }
    }

    private static Assignment assignment(Sequence sequence, LoadedModel model, LoadedModel.Result r, long recordTimestamp) {
        return new Assignment(sequence.id(), sequence.source(), r.cluster(), r.probabilities(), r.confidence(),
                model.name(), model.version(), sequence.timestamp() != null ? sequence.timestamp() : recordTimestamp);
    }
}
