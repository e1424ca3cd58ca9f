package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;

/**
 * Validates and assigns each sequence with the latest model of the models topic. Invalid records go
 * to the dead-letter sink with the reason. Until a first model exists, valid records are kept in a
 * changelogged store, in arrival order, and assigned as soon as one arrives; under exactly-once the
 * store and the outputs commit together, so nothing waits forever, is lost or is emitted twice.
 */
final class AssignProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final long COUNTER_KEY = 0L;

    private final AssignmentEngine engine;
    private final ModelCatalog catalog;
    private final SeqclustMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Long, byte[]> pending;
    private long pendingCount;

    AssignProcessor(AssignmentEngine engine, ModelCatalog catalog, SeqclustMetrics metrics) {
        this.engine = engine;
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
        Sequence sequence;
        try {
            sequence = engine.parse(record.value());
        } catch (InvalidSequenceException e) {
            deadLetter(in, e);
            return;
        }
        if (model == null) {
            hold(in);
            return;
        }
        emit(in, sequence, model, t0);
    }

    private LoadedModel drainIfModel() {
        LoadedModel model = catalog.current();
        if (model == null || pendingCount == 0) {
            return model;
        }
        try (KeyValueIterator<Long, byte[]> it = pending.range(COUNTER_KEY + 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> entry = it.next();
                PendingRecord held = PendingRecord.fromBytes(entry.value);
                long t0 = System.nanoTime();
                try {
                    emit(held, engine.parse(held.value()), model, t0);
                } catch (InvalidSequenceException e) {
                    deadLetter(held, e); // it was valid when held; only a changed limit can get here
                }
                pending.delete(entry.key);
            }
        }
        metrics.pending(-pendingCount);
        pendingCount = 0;
        return model;
    }

    private void hold(PendingRecord in) {
        byte[] counter = pending.get(COUNTER_KEY);
        long next = counter == null ? 1 : bytesToLong(counter) + 1;
        pending.put(COUNTER_KEY, longToBytes(next));
        pending.put(next, in.toBytes());
        pendingCount++;
        metrics.pending(1);
    }

    private void emit(PendingRecord in, Sequence sequence, LoadedModel model, long t0) {
        Assignment a;
        try {
            a = engine.assign(sequence, model, in.timestamp());
        } catch (InvalidSequenceException e) {
            deadLetter(in, e);
            return;
        }
        Headers headers = new RecordHeaders(in.headers().toArray());
        headers.remove(TopologyProducer.HEADER_MODEL).remove(TopologyProducer.HEADER_MODEL_VERSION);
        headers.add(TopologyProducer.HEADER_MODEL, DeadLetters.utf8(a.model()));
        headers.add(TopologyProducer.HEADER_MODEL_VERSION, DeadLetters.utf8(Long.toString(a.modelVersion())));
        context.forward(new Record<>(in.key(), a.toJson(), in.timestamp(), headers), TopologyProducer.ASSIGNMENTS_SINK);
        metrics.assigned(a.model(), a.cluster(), a.confidence(), System.nanoTime() - t0);
    }

    private void deadLetter(PendingRecord in, InvalidSequenceException e) {
        context.forward(new Record<>(in.key(), in.value(), in.timestamp(), DeadLetters.headers(in, e)),
                TopologyProducer.DEAD_LETTERS_SINK);
        metrics.deadLettered(e.code());
    }

    private static long bytesToLong(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).getLong();
    }

    private static byte[] longToBytes(long v) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
