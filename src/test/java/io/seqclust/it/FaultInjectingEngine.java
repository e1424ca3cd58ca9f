package io.seqclust.it;

import io.seqclust.assignment.Assignment;
import io.seqclust.assignment.AssignmentEngine;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.SequenceParser;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The service's own engine, except that assigning the sequence whose id is {@link #FAULT_ID} throws, as a bug
 * in a model would: enabled only by the test profiles that list it, to check on the real broker that the
 * record is dead-lettered INTERNAL and the stream goes on.
 */
@Alternative
@Singleton
public class FaultInjectingEngine extends AssignmentEngine {

    public static final String FAULT_ID = "inject-a-processing-fault";

    @Inject
    public FaultInjectingEngine(SeqclustConfig config) {
        super(new SequenceParser(config.limits().input()));
    }

    @Override
    public Assignment assign(Sequence sequence, LoadedModel model, long recordTimestamp) throws InvalidSequenceException {
        if (FAULT_ID.equals(sequence.id())) {
            throw new IllegalStateException("a fault injected by the test for " + FAULT_ID);
        }
        return super.assign(sequence, model, recordTimestamp);
    }

    /** The fault fails its whole micro-batch, as a model's would: the topology then assigns the batch's records one by one. */
    @Override
    public List<Assignment> assignAll(List<Sequence> sequences, LoadedModel model, long[] recordTimestamps) {
        if (sequences.stream().anyMatch(s -> FAULT_ID.equals(s.id()))) {
            throw new IllegalStateException("a fault injected by the test for " + FAULT_ID + " in a batch");
        }
        return super.assignAll(sequences, model, recordTimestamps);
    }
}
