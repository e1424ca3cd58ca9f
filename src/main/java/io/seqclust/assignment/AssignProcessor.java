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
import java.util.concurrent.Future;

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
 * costs the changelog only its tombstone. Under a backlog a full batch is assigned on a helper thread while the
 * stream thread reads on; its records stay in the store until its outputs are sent, from the stream thread and in
 * arrival order.
 */
final class AssignProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final long COUNTER_KEY = 0L;
    /**
     * Held records assigned per call (per record or punctuation): a backlog of thousands, left by a long
     * first training, assigned at once would keep one transaction open past its timeout, on a busy machine,
     * and the fenced task would retry the same backlog forever.
     */
    static final int DRAIN_BATCH = 200;
    /** How many times {@code batch-wait} a batch may wait for records known to follow it (see {@link #punctuate}). */
    static final int BACKLOG_WAIT_FACTOR = 10;

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
    /** Full batches on helper threads, oldest first: emitted in this order, from the stream thread. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

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

    /**
     * A batch's pass done off the stream thread: its records' model outputs ({@code assignments}, in the order of
     * {@code ready}), or the failure of that pass (then {@code assignments} is null), or neither where fewer
     * than two records were ready.
     */
    private record Computed(List<Prepared> prepared, List<Held> ready, List<Assignment> assignments, Throwable failure) {
    }

    /** A full batch on a helper thread; its records stay in the store until it is emitted. */
    private record InFlight(List<Held> batch, LoadedModel model, Future<Computed> result) {
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
        dropInFlight();
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

    /**
     * A closed task's batches in flight are dropped unsent: their records are still in the store, and so are
     * assigned again by the task that restores it (under exactly-once, the outputs of the closed task's open
     * transaction are aborted with it).
     */
    @Override
    public void close() {
        dropInFlight();
    }

    private void dropInFlight() {
        for (InFlight f : inFlight) {
            f.result().cancel(false);
            metrics.pending(-awaitingModel(f.batch()));
        }
        inFlight.clear();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.consumed();
        finishInFlight(false);
        long now = System.nanoTime();
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        PendingRecord in = new PendingRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), record.headers());
        LoadedModel model = catalog.current();
        if (model != null && batching.size() > 1) {
            if (held.isEmpty() && inFlight.isEmpty() && nothingFollows(meta)) {
                assignAlone(in, model, now);
                return;
            }
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
        if (model != null && held.isEmpty() && inFlight.isEmpty()) {
            assignOne(in, sequence, model, now);
            return;
        }
        hold(in, model == null, now);
        if (model != null && held.size() >= batching.size()) {
            drain(model, FULL);
        }
    }

    /**
     * A record that nothing precedes or follows is a batch of one: assigned as it comes, never held. Held, it went
     * through the store (written and deleted, and the store's counter sent to its changelog at every commit) and the
     * batch's pass. At a light load nearly every record comes alone, so the changelog then takes no writes; the
     * end-to-end latency gain measured in alternated {@code bench --online} runs was within their noise (README).
     */
    private void assignAlone(PendingRecord in, LoadedModel model, long now) {
        Sequence sequence = parseOrDeadLetter(in);
        if (sequence != null) {
            assignOne(in, sequence, model, now);
        }
        metrics.batch(CAUGHT_UP);
    }

    /**
     * Whether no record follows this one, fetched or on the broker: then its batch would wait for nothing (at
     * 500 records/s a batch of 16 never fills within a 2 ms wait), and is assigned at once.
     */
    private boolean nothingFollows(RecordMetadata meta) {
        lookUpConsumer();
        return consumer != null && InputPositions.isLast(consumer, meta);
    }

    private void lookUpConsumer() {
        if (!consumerLookedUp) {
            consumer = positions.ofThisThread().orElse(null);
            consumerLookedUp = true;
        }
    }

    /**
     * Emits the batches in flight that are done, and assigns what is held once a batch is full, its oldest record
     * has waited long enough, or a backlog waits. Where records are known to follow the held ones (a backlog
     * being read), the batch waits for them, up to {@link #BACKLOG_WAIT_FACTOR} times the wait: a stream thread
     * busy with a backlog sees its held records as waited after any pause of its own (a commit, a batch in
     * flight), and assigning them as a short batch cost a backlog a seventh of its records in batches of 1-15
     * (counted in {@code bench --online}).
     */
    private void punctuate(long wallClock) {
        finishInFlight(false);
        LoadedModel model = catalog.current();
        if (model != null && !held.isEmpty()) {
            long waited = wallClock - held.peekFirst().heldAt();
            long wait = batching.maxWait().toMillis();
            if (held.size() >= batching.size()) {
                drain(model, FULL);
            } else if (waited >= wait && (waited >= BACKLOG_WAIT_FACTOR * Math.max(1, wait) || !recordsFollow(held.peekLast()))) {
                drain(model, WAITED);
            }
        }
    }

    /** Whether records are known to follow this held one in its partition (false where not known). */
    private boolean recordsFollow(Held last) {
        lookUpConsumer();
        PendingRecord in = last.in();
        return consumer != null && InputPositions.follows(consumer, in.topic(), in.partition(), in.offset());
    }

    /**
     * Assigns up to {@link #DRAIN_BATCH} held records, oldest first, in batches of the batch size. In a backlog (a
     * full batch that records are known to follow) the batch goes to a helper thread and the stream thread reads
     * on, so that its own work (taking records in, producing, committing) overlaps the model's pass: the pass was
     * most of a backlog's time and the stream thread waited for it ({@code bench --online}). Any other drain first
     * emits the batches in flight, so that outputs keep their records' order; where nothing is known to follow,
     * there is nothing to overlap, and the batch is assigned at once.
     *
     * @param trigger what ended the wait, for {@code seqclust.assignment.batches}
     */
    private void drain(LoadedModel model, String trigger) {
        if (trigger.equals(FULL) && overlaps() && held.size() == batching.size() && recordsFollow(held.peekLast())) {
            while (inFlight.size() >= batching.threads()) {
                finish(inFlight.pollFirst());
            }
            List<Held> batch = new ArrayList<>(held);
            held.clear();
            inFlight.add(new InFlight(batch, model, BatchPass.submit(() -> compute(batch, model, 1))));
            return;
        }
        finishInFlight(true);
        int left = Math.min(DRAIN_BATCH, held.size());
        while (left > 0) {
            List<Held> batch = new ArrayList<>();
            while (batch.size() < Math.min(batching.size(), left)) {
                batch.add(held.pollFirst());
            }
            apply(batch, model, trigger, compute(batch, model, batching.threads()));
            left -= batch.size();
        }
    }

    /** Whether a backlog's full batches may go to helper threads: with more than one thread and batches of more than one record. */
    private boolean overlaps() {
        return batching.threads() > 1 && batching.size() > 1;
    }

    /** Emits the batches in flight, oldest first: those done, or all of them if {@code wait}. */
    private void finishInFlight(boolean wait) {
        while (!inFlight.isEmpty() && (wait || inFlight.peekFirst().result().isDone())) {
            finish(inFlight.pollFirst());
        }
    }

    private void finish(InFlight f) {
        apply(f.batch(), f.model(), FULL, BatchPass.join(f.result()));
    }

    /**
     * A batch's records parsed and checked, then one pass of the model over those that fit it; on any thread, as
     * nothing is sent from here.
     *
     * @param threads the threads to split the work over ({@link BatchPass})
     */
    private Computed compute(List<Held> batch, LoadedModel model, int threads) {
        List<Prepared> prepared = BatchPass.run(batch, threads, chunk -> chunk.stream().map(h -> prepare(h, model)).toList());
        List<Held> ready = new ArrayList<>(batch.size());
        for (Prepared p : prepared) {
            if (p.sequence() != null) {
                Held h = p.held();
                ready.add(new Held(h.key(), h.in(), p.sequence(), h.since(), h.heldAt(), h.awaitsModel()));
            }
        }
        if (ready.size() < 2) {
            return new Computed(prepared, ready, null, null);
        }
        try {
            return new Computed(prepared, ready, BatchPass.run(ready, threads, chunk -> engine.assignAll(
                    chunk.stream().map(Held::sequence).toList(), model, chunk.stream().mapToLong(h -> h.in().timestamp()).toArray())), null);
        } catch (RuntimeException | StackOverflowError e) {
            return new Computed(prepared, ready, null, e);
        }
    }

    /**
     * On the stream thread: the dead letters of the batch's records that failed (in arrival order), the outputs of
     * the others (if their batch's pass failed, each record on its own, so that only the record at fault is
     * dead-lettered), then the batch's records leave the store.
     */
    private void apply(List<Held> batch, LoadedModel model, String trigger, Computed c) {
        for (Prepared p : c.prepared()) {
            if (p.invalid() != null) {
                deadLetter(p.held().in(), p.invalid().code(), p.invalid().getMessage());
            } else if (p.internal() != null) {
                deadLetters.internalError(p.held().in(), p.internal());
            }
        }
        List<Held> ready = c.ready();
        if (c.assignments() != null) {
            for (int i = 0; i < ready.size(); i++) {
                Held h = ready.get(i);
                emit(h.in(), h.sequence(), c.assignments().get(i), h.since());
            }
        } else {
            if (c.failure() != null) {
                LOG.warnf(c.failure(), "a batch of %d records failed in model %s v%d; assigning them one by one", ready.size(),
                        model.name(), model.version());
            }
            for (Held h : ready) {
                assignOne(h.in(), h.sequence(), model, h.since());
            }
        }
        metrics.batch(trigger);
        for (Held h : batch) {
            pending.delete(h.key());
        }
        metrics.pending(-awaitingModel(batch));
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
