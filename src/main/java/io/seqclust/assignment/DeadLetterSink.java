package io.seqclust.assignment;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/** A processor's way to the dead-letter topic: the letter ({@link DeadLetters}), its sink, its metric. */
final class DeadLetterSink {

    private static final Logger LOG = Logger.getLogger(DeadLetterSink.class);

    private final ProcessorContext<byte[], byte[]> context;
    private final InputLimits limits;
    private final SeqclustMetrics metrics;
    private final String sink;

    DeadLetterSink(ProcessorContext<byte[], byte[]> context, InputLimits limits, SeqclustMetrics metrics, String sink) {
        this.context = context;
        this.limits = limits;
        this.metrics = metrics;
        this.sink = sink;
    }

    void send(PendingRecord in, ErrorCode code, String message) {
        DeadLetters.Letter letter = DeadLetters.of(in, code, message, limits.recordBytes(), limits.headerBytes());
        context.forward(new Record<>(letter.key(), letter.value(), in.timestamp(), letter.headers()), sink);
        metrics.deadLettered(in.topic(), code, 1);
    }

    /** An unexpected error on one record: logged, and that record dead-lettered INTERNAL, so the stream goes on. */
    void internalError(PendingRecord in, Throwable e) {
        LOG.errorf(e, "internal error on %s-%d@%d; the record is dead-lettered INTERNAL and the stream goes on",
                in.topic(), in.partition(), in.offset());
        send(in, ErrorCode.INTERNAL, "internal error: " + e);
    }
}
