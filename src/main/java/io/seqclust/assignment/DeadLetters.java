package io.seqclust.assignment;

import io.seqclust.ingest.InvalidSequenceException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** The headers of a dead letter, as {@code schemas/dead-letter.schema.json} describes them. */
public final class DeadLetters {

    public static final String CODE = "seqclust.error.code";
    public static final String MESSAGE = "seqclust.error.message";
    public static final String SOURCE_TOPIC = "seqclust.source.topic";
    public static final String SOURCE_PARTITION = "seqclust.source.partition";
    public static final String SOURCE_OFFSET = "seqclust.source.offset";

    private DeadLetters() {
    }

    /** The record's own headers, then the reason and where it came from (replacing any earlier ones). */
    static Headers headers(PendingRecord in, InvalidSequenceException e) {
        Headers h = new RecordHeaders(in.headers().toArray());
        for (String key : new String[] {CODE, MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET}) {
            h.remove(key);
        }
        h.add(CODE, utf8(e.code().name()));
        h.add(MESSAGE, utf8(e.getMessage()));
        h.add(SOURCE_TOPIC, utf8(in.topic()));
        h.add(SOURCE_PARTITION, utf8(Integer.toString(in.partition())));
        h.add(SOURCE_OFFSET, utf8(Long.toString(in.offset())));
        return h;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
