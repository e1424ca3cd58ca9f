package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.RegistryUnavailableException;
import io.seqclust.ingest.Sequence;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.clients.consumer.Consumer;
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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Validates and assigns each sequence with the latest model of the models topic, in micro-batches
 * ({@link Batching}): one pass of the model over up to {@code batch-size} records (split over threads by
 * {@link BatchPass}), the oldest waiting at most about {@code batch-wait}, and none once nothing follows it in
 * its partition ({@link InputPositions}). Invalid records go to the dead-letter sink with the reason, as does a record the
 * model gives a non-finite output for, one whose assignment would be over the output bound, or one whose
 * processing fails unexpectedly: no single record stops the stream. A record waiting for its batch, or for a
 * first model, is held in a changelogged store, in arrival order, and deleted when it is assigned; under
 * exactly-once the store and the outputs commit together, so that nothing waits forever, is lost or is
 * emitted twice, across restarts too. The store is cached, so that a record assigned before the next commit
 * costs the changelog only its tombstone.
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
    private static final String FULL = "full";
    private static final String CAUGHT_UP = "caught-up";
    private static final String WAITED = "waited";

    private final AssignmentEngine engine;
    private final InputLimits limits;
    private final ModelCatalog catalog;
    private final SeqclustMetrics metrics;
    private final Batching batching;
    private final AssignmentWriter writer;
    private final String assignmentsTopic;
    private final InputPositions positions;
    /** This task's stream thread's consumer, looked up on that thread at the first record; null if not known. */
    private Consumer<byte[], byte[]> consumer;
    private boolean consumerLookedUp;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetterSink deadLetters;
    private KeyValueStore<Long, byte[]> pending;
    /** The store's held records, oldest first. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    /**
     * @param sequence    the parsed record; null for one not parsed yet — held for its micro-batch (parsed with the
     *                    batch, on its threads), read back from the store (after a restart) or held before a first
     *                    model (a backlog is kept as bytes alone)
     * @param since       when it was taken in (System.nanoTime), for the time-in-topology metric
     * @param heldAt      when it was taken in by Streams' wall clock (what the punctuator's wait is measured by)
     * @param awaitsModel held with no model to assign it (or restored from the store): counted by the pending gauge,
     *                    which an alert watches, unlike a record that only waits for its micro-batch
     */
    private record Held(long key, PendingRecord in, Sequence sequence, long since, long heldAt, boolean awaitsModel) {
    }

    /** A held record made ready for the model, on any thread: its sequence, or why it is dead-lettered. */
    private record Prepared(Held held, Sequence sequence, InvalidSequenceException invalid, Throwable internal) {
    }

    AssignProcessor(AssignmentEngine engine, ModelCatalog catalog, SeqclustMetrics metrics, Batching batching,
                    AssignmentWriter writer, String assignmentsTopic, InputPositions positions) {
        this.engine = engine;
        this.limits = engine.limits();
        this.catalog = catalog;
        this.metrics = metrics;
        this.batching = batching;
        this.writer = writer;
        this.assignmentsTopic = assignmentsTopic;
        this.positions = positions;
    }

    /** Also when Streams revives the task after an aborted transaction: what is held is then the restored store's. */
    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.deadLetters = new DeadLetterSink(context, limits, metrics, TopologyProducer.DEAD_LETTERS_SINK);
        pending = context.getStateStore(TopologyProducer.PENDING_STORE);
        metrics.pending(-awaitingModel(held));
        held.clear();
        long now = System.nanoTime();
        long wallClock = context.currentSystemTimeMs();
        try (KeyValueIterator<Long, byte[]> it = pending.range(COUNTER_KEY + 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> entry = it.next();
                held.add(new Held(entry.key, PendingRecord.fromBytes(entry.value), null, now, wallClock, true));
            }
        }
        metrics.pending(held.size());
        context.schedule(batching.checkEvery(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.consumed();
        long now = System.nanoTime();
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        PendingRecord in = new PendingRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), record.headers());
        LoadedModel model = catalog.current();
        if (model != null && batching.size() > 1) {
            // parsed with its batch, over the batch's threads: parsing is a quarter of a stream thread's time
            hold(in, false, now);
            if (held.size() >= batching.size()) {
                drain(model, FULL);
            } else if (nothingFollows(meta)) {
                drain(model, CAUGHT_UP);
            }
            return;
        }
        // parsed at once: a bad record is not held until a first model comes
        Sequence sequence = parseOrDeadLetter(in);
        if (sequence == null) {
            return;
        }
        if (model != null && held.isEmpty()) {
            assignOne(in, sequence, model, now);
            return;
        }
        hold(in, model == null, now);
        if (model != null && held.size() >= batching.size()) {
            drain(model, FULL);
        }
    }

    /**
     * Whether no record follows this one, fetched or on the broker: then its batch would wait for nothing (at
     * 500 records/s a batch of 16 never fills within a 2 ms wait), and is assigned at once.
     */
    private boolean nothingFollows(RecordMetadata meta) {
        if (!consumerLookedUp) {
            consumer = positions.ofThisThread().orElse(null);
            consumerLookedUp = true;
        }
        return consumer != null && InputPositions.isLast(consumer, meta);
    }

    /** Assigns what is held once a batch is full, its oldest record has waited long enough, or a backlog waits. */
    private void punctuate(long wallClock) {
        LoadedModel model = catalog.current();
        if (model != null && !held.isEmpty()) {
            if (held.size() >= batching.size()) {
                drain(model, FULL);
            } else if (wallClock - held.peekFirst().heldAt() >= batching.maxWait().toMillis()) {
                drain(model, WAITED);
            }
        }
    }

    /**
     * Assigns up to {@link #DRAIN_BATCH} held records, oldest first, in batches of the batch size.
     *
     * @param trigger what ended the wait, for {@code seqclust.assignment.batches}
     */
    private void drain(LoadedModel model, String trigger) {
        int left = Math.min(DRAIN_BATCH, held.size());
        while (left > 0) {
            List<Held> batch = new ArrayList<>();
            while (batch.size() < Math.min(batching.size(), left)) {
                batch.add(held.pollFirst());
            }
            assignBatch(batch, model);
            metrics.batch(trigger);
            for (Held h : batch) {
                pending.delete(h.key());
            }
            metrics.pending(-awaitingModel(batch));
            left -= batch.size();
        }
    }

    /**
     * The batch's records parsed and checked over its threads (dead letters for those that fail, in arrival order,
     * from the stream thread), then one pass of the model over those that fit it; if that pass fails, each record
     * on its own, so that only the record at fault is dead-lettered.
     */
    private void assignBatch(List<Held> batch, LoadedModel model) {
        List<Prepared> prepared = BatchPass.run(batch, batching.threads(), chunk -> chunk.stream().map(h -> prepare(h, model)).toList());
        List<Held> ready = new ArrayList<>(batch.size());
        for (Prepared p : prepared) {
            if (p.invalid() != null) {
                deadLetter(p.held().in(), p.invalid().code(), p.invalid().getMessage());
            } else if (p.internal() != null) {
                deadLetters.internalError(p.held().in(), p.internal());
            } else {
                Held h = p.held();
                ready.add(new Held(h.key(), h.in(), p.sequence(), h.since(), h.heldAt(), h.awaitsModel()));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        if (ready.size() == 1) {
            assignOne(ready.get(0).in(), ready.get(0).sequence(), model, ready.get(0).since());
            return;
        }
        List<Assignment> assignments;
        try {
            assignments = BatchPass.run(ready, batching.threads(), chunk -> engine.assignAll(chunk.stream().map(Held::sequence).toList(),
                    model, chunk.stream().mapToLong(h -> h.in().timestamp()).toArray()));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warnf(e, "a batch of %d records failed in model %s v%d; assigning them one by one", ready.size(), model.name(),
                    model.version());
            for (Held h : ready) {
                assignOne(h.in(), h.sequence(), model, h.since());
            }
            return;
        }
        for (int i = 0; i < ready.size(); i++) {
            Held h = ready.get(i);
            emit(h.in(), h.sequence(), assignments.get(i), h.since());
        }
    }

    /**
     * Parse (unless parsed on arrival), validate and check that it fits the model, on whichever thread: nothing is
     * sent from here. Never throws for what a record holds; an unreachable registry is not the record's fault and
     * propagates, as in {@link #parseOrDeadLetter}.
     */
    private Prepared prepare(Held h, LoadedModel model) {
        try {
            Sequence sequence = h.sequence() != null ? h.sequence() : engine.parse(h.in().key(), h.in().value());
            engine.checkFits(sequence, model);
            return new Prepared(h, sequence, null, null);
        } catch (InvalidSequenceException e) {
            return new Prepared(h, null, e, null);
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            return new Prepared(h, null, null, e);
        }
    }

    /**
     * Parse and validate; never throws for what a record holds. An unexpected error here, or in {@link #assignOne},
     * is this record's INTERNAL dead letter, so that one record cannot stop the stream; errors of Kafka itself (in
     * forward, commit) are not caught, as exactly-once needs them to reach Streams.
     *
     * @return the sequence, or null once the record is dead-lettered
     */
    private Sequence parseOrDeadLetter(PendingRecord in) {
        try {
            return engine.parse(in.key(), in.value());
        } catch (InvalidSequenceException e) {
            deadLetter(in, e.code(), e.getMessage());
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            deadLetters.internalError(in, e);
        }
        return null;
    }

    private void assignOne(PendingRecord in, Sequence sequence, LoadedModel model, long since) {
        Assignment a;
        try {
            a = engine.assign(sequence, model, in.timestamp());
        } catch (InvalidSequenceException e) {
            deadLetter(in, e.code(), e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            deadLetters.internalError(in, e);
            return;
        }
        emit(in, sequence, a, since);
    }

    private static long awaitingModel(Collection<Held> records) {
        return records.stream().filter(Held::awaitsModel).count();
    }

    /** Kept as bytes alone (parsed again when assigned); {@code awaitsModel}: counted as waiting for a model. */
    private void hold(PendingRecord in, boolean awaitsModel, long now) {
        byte[] counter = pending.get(COUNTER_KEY);
        long next = counter == null ? 1 : bytesToLong(counter) + 1;
        pending.put(COUNTER_KEY, longToBytes(next));
        pending.put(next, in.toBytes());
        Held h = new Held(next, in, null, now, context.currentSystemTimeMs(), awaitsModel);
        held.add(h);
        if (h.awaitsModel()) {
            metrics.pending(1);
        }
    }

    private void emit(PendingRecord in, Sequence sequence, Assignment a, long since) {
        if (!a.finite()) {
            deadLetter(in, ErrorCode.MODEL_OUTPUT, "model " + a.model() + " v" + a.modelVersion()
                    + " gave a non-finite probability or confidence for this sequence");
            return;
        }
        catalog.observe(sequence.values());
        byte[] value = writer.write(assignmentsTopic, a);
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
        metrics.assigned(a.model(), a.cluster(), a.confidence(), System.nanoTime() - since);
    }

    private void deadLetter(PendingRecord in, ErrorCode code, String message) {
        deadLetters.send(in, code, message);
    }

    private static long bytesToLong(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).getLong();
    }

    private static byte[] longToBytes(long v) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
