package io.seqclust.assignment;

import io.seqclust.audio.AudioParser;
import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import io.seqclust.ingest.SequenceJson;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The audio front door: each audio record's log-mel sequence goes on to the sequences topic, under the same key
 * and timestamp with the record's own headers, where it is windowed, trained on and assigned like any sequence;
 * bad audio goes to the dead-letter topic with its code. Stateless: exactly-once ties each output to its input's
 * offset.
 */
final class AudioProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final AudioParser parser;
    private final InputLimits limits;
    private final SeqclustMetrics metrics;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetterSink deadLetters;

    AudioProcessor(AudioParser parser, InputLimits limits, SeqclustMetrics metrics) {
        this.parser = parser;
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.deadLetters = new DeadLetterSink(context, limits, metrics, TopologyProducer.AUDIO_DEAD_LETTERS_SINK);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        metrics.consumed(meta.topic(), 1);
        PendingRecord in = new PendingRecord(meta.topic(), meta.partition(), meta.offset(), record.timestamp(),
                record.key(), record.value(), record.headers());
        byte[] json;
        try {
            Sequence sequence = parser.parse(record.key(), record.value());
            json = SequenceJson.write(sequence);
            long bytes = (record.key() == null ? 0L : record.key().length) + json.length;
            if (bytes > limits.recordBytes()) {
                throw new InvalidSequenceException(ErrorCode.TOO_LONG, "the clip's " + sequence.steps() + " x "
                        + sequence.dims() + " features take " + bytes + " bytes as a sequence, over seqclust.limits.record-bytes = "
                        + limits.recordBytes() + ": lower seqclust.audio.max-seconds or raise seqclust.audio.hop-ms");
            }
        } catch (InvalidSequenceException e) {
            deadLetters.send(in, e.code(), e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            deadLetters.internalError(in, e);
            return;
        }
        context.forward(new Record<>(record.key(), json, record.timestamp(),
                DeadLetters.carried(record.headers(), limits.headerBytes())), TopologyProducer.AUDIO_SEQUENCES_SINK);
    }
}
