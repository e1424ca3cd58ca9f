package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Validates and assigns each sequence with the latest model of the models topic. Invalid records go
 * to the dead-letter sink with the reason, as does a record the model gives a non-finite output for, one
 * whose assignment would be over the output bound, or one whose processing fails unexpectedly: no single
 * record stops the stream. Until a first model exists, valid records are kept in a
 * changelogged store, in arrival order, and assigned as soon as one arrives; under exactly-once the
 * store and the outputs commit together, so nothing waits forever, is lost or is emitted twice.
 */
final class AssignProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final long COUNTER_KEY = 0L;
    /**
     * Held records assigned per call (per record or punctuation): a backlog of thousands, left by a long
     * first training, assigned at once would keep one transaction open past its timeout, on a busy machine,
     * and the fenced task would retry the same backlog forever.
     */
    static final int DRAIN_BATCH = 200;

    private static final Logger LOG = Logger.getLogger(AssignProcessor.class);

    private final AssignmentEngine engine;
    private final InputLimits limits;
    private final ModelCatalog catalog;
    private final SeqclustMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Long, byte[]> pending;
    private long pendingCount;

    AssignProcessor(AssignmentEngine engine, ModelCatalog catalog, SeqclustMetrics metrics) {
        this.engine = engine;
        this.limits = engine.limits();
        this.catalog = catalog;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        pending = context.getStateStore(TopologyProducer.PENDING_STORE);
        try (KeyValueIterator<Long, byte[]> it = pending.range(COUNTER_KEY + 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                it.next();
                pendingCount++;
            }
        }
        metrics.pending(pendingCount);
        context.schedule(Duration.ofMillis(200), PunctuationType.WALL_CLOCK_TIME, now -> drainIfModel());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.consumed();
        long t0 = System.nanoTime();
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        PendingRecord in = new PendingRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), record.headers());
        LoadedModel model = drainIfModel();
        if (model == null) {
            Outcome checked = outcome(in, null);
            if (checked.error() != null) {
                deadLetter(in, checked.error(), checked.message());
            } else {
                hold(in);
            }
            return;
        }
        emit(in, model, t0);
    }

    /**
     * Parse, validate and (with a model) assign; never throws for what a record holds. An unexpected error
     * here is this record's INTERNAL dead letter, so that one record cannot stop the stream; errors of
     * Kafka itself (in forward, commit) are not caught, as exactly-once needs them to reach Streams.
     */
    private Outcome outcome(PendingRecord in, LoadedModel model) {
        try {
            Sequence sequence = engine.parse(in.key(), in.value());
            if (model == null) {
                return new Outcome(null, null, null);
            }
            Assignment a = engine.assign(sequence, model, in.timestamp());
            if (!a.finite()) {
                return new Outcome(null, ErrorCode.MODEL_OUTPUT, "model " + model.name() + " v" + model.version()
                        + " gave a non-finite probability or confidence for this sequence");
            }
            catalog.observe(sequence.values());
            return new Outcome(a, null, null);
        } catch (InvalidSequenceException e) {
            return new Outcome(null, e.code(), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            LOG.errorf(e, "internal error on %s-%d@%d; the record is dead-lettered INTERNAL and the stream goes on",
                    in.topic(), in.partition(), in.offset());
            return new Outcome(null, ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    private record Outcome(Assignment assignment, ErrorCode error, String message) {
    }

    /**
     * Assigns up to {@link #DRAIN_BATCH} held records, oldest first, once a model exists.
     *
     * @return the model, once no record is held any more; null before (a new record is then held too, behind
     * the others, so that outputs keep arrival order)
     */
    private LoadedModel drainIfModel() {
        LoadedModel model = catalog.current();
        if (model == null || pendingCount == 0) {
            return model;
        }
        int drained = 0;
        try (KeyValueIterator<Long, byte[]> it = pending.range(COUNTER_KEY + 1, Long.MAX_VALUE)) {
            while (it.hasNext() && drained < DRAIN_BATCH) {
                KeyValue<Long, byte[]> entry = it.next();
                emit(PendingRecord.fromBytes(entry.value), model, System.nanoTime());
                pending.delete(entry.key);
                drained++;
            }
        }
        metrics.pending(-drained);
        pendingCount -= drained;
        return pendingCount == 0 ? model : null;
    }

    private void hold(PendingRecord in) {
        byte[] counter = pending.get(COUNTER_KEY);
        long next = counter == null ? 1 : bytesToLong(counter) + 1;
        pending.put(COUNTER_KEY, longToBytes(next));
        pending.put(next, in.toBytes());
        pendingCount++;
        metrics.pending(1);
    }

    private void emit(PendingRecord in, LoadedModel model, long t0) {
        Outcome o = outcome(in, model);
        if (o.error() != null) {
            deadLetter(in, o.error(), o.message());
            return;
        }
        Assignment a = o.assignment();
        byte[] value = a.toJson();
        long bytes = (in.key() == null ? 0L : in.key().length) + value.length;
        if (bytes > limits.recordBytes()) {
            deadLetter(in, ErrorCode.OUTPUT_TOO_LARGE, "the assignment by model " + a.model() + " v" + a.modelVersion()
                    + " (" + a.probabilities().length + " clusters) takes " + bytes
                    + " bytes with its key, over seqclust.limits.record-bytes = " + limits.recordBytes());
            return;
        }
        Headers headers = DeadLetters.carried(in.headers(), limits.headerBytes());
        headers.remove(TopologyProducer.HEADER_MODEL).remove(TopologyProducer.HEADER_MODEL_VERSION);
        headers.add(TopologyProducer.HEADER_MODEL, DeadLetters.utf8(a.model()));
        headers.add(TopologyProducer.HEADER_MODEL_VERSION, DeadLetters.utf8(Long.toString(a.modelVersion())));
        context.forward(new Record<>(in.key(), value, in.timestamp(), headers), TopologyProducer.ASSIGNMENTS_SINK);
        metrics.assigned(a.model(), a.cluster(), a.confidence(), System.nanoTime() - t0);
    }

    private void deadLetter(PendingRecord in, ErrorCode code, String message) {
        DeadLetters.Letter letter = DeadLetters.of(in, code, message, limits.recordBytes(), limits.headerBytes());
        context.forward(new Record<>(letter.key(), letter.value(), in.timestamp(), letter.headers()),
                TopologyProducer.DEAD_LETTERS_SINK);
        metrics.deadLettered(code);
    }

    private static long bytesToLong(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).getLong();
    }

    private static byte[] longToBytes(long v) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
