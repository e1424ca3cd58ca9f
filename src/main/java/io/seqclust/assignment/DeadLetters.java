package io.seqclust.assignment;

import io.seqclust.ingest.ErrorCode;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Dead letters as {@code schemas/dead-letter.schema.json} describes them, and the input headers that may
 * travel onto any output. Every output is bounded: a dead letter carries the original record when it is
 * within {@code seqclust.limits.record-bytes}, else a truncated copy with the original's size and SHA-256,
 * so that no input can make an output Kafka refuses (which would stop the stream on that record for good).
 */
public final class DeadLetters {

    public static final String CODE = "seqclust.error.code";
    public static final String MESSAGE = "seqclust.error.message";
    public static final String SOURCE_TOPIC = "seqclust.source.topic";
    public static final String SOURCE_PARTITION = "seqclust.source.partition";
    public static final String SOURCE_OFFSET = "seqclust.source.offset";
    /** Present (value "true") when the dead letter holds a truncated copy of the record. */
    public static final String TRUNCATED = "seqclust.source.truncated";
    public static final String SOURCE_BYTES = "seqclust.source.bytes";
    public static final String SOURCE_SHA256 = "seqclust.source.sha256";
    /** Count of input headers not carried onto the output (over seqclust.limits.header-bytes). */
    public static final String HEADERS_DROPPED = "seqclust.headers.dropped";
    /** Prefix of the headers only seqclust writes; an input's own are dropped, never passed on. */
    public static final String RESERVED_PREFIX = "seqclust.";
    static final int MAX_MESSAGE_CHARS = 500;
    /** Bytes of a truncated record's key kept in its dead letter. */
    static final int TRUNCATED_KEY_BYTES = 1024;

    private DeadLetters() {
    }

    /** Key, value and headers of the dead letter of {@code in}. */
    record Letter(byte[] key, byte[] value, Headers headers) {
    }

    static Letter of(PendingRecord in, ErrorCode code, String message, int recordBytes, int headerBytes) {
        Headers h = carried(in.headers(), headerBytes);
        h.add(CODE, utf8(code.name()));
        h.add(MESSAGE, utf8(message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…"));
        h.add(SOURCE_TOPIC, utf8(in.topic()));
        h.add(SOURCE_PARTITION, utf8(Integer.toString(in.partition())));
        h.add(SOURCE_OFFSET, utf8(Long.toString(in.offset())));
        byte[] key = in.key();
        byte[] value = in.value();
        long size = length(key) + length(value);
        if (size <= recordBytes) {
            return new Letter(key, value, h);
        }
        byte[] keptKey = key == null || key.length <= TRUNCATED_KEY_BYTES ? key : Arrays.copyOf(key, TRUNCATED_KEY_BYTES);
        byte[] keptValue = value == null ? null
                : Arrays.copyOf(value, (int) Math.min(value.length, recordBytes - length(keptKey)));
        h.add(TRUNCATED, utf8("true"));
        h.add(SOURCE_BYTES, utf8(Long.toString(length(value))));
        if (value != null) {
            h.add(SOURCE_SHA256, utf8(HexFormat.of().formatHex(sha256(value))));
        }
        return new Letter(keptKey, keptValue, h);
    }

    /**
     * The input's headers that go onto its output: none named {@code seqclust.*} (those are seqclust's to
     * write: an input must not forge an error code or a model version), and in order only as many as fit in
     * {@code headerBytes}; how many were dropped for the bound is said in {@link #HEADERS_DROPPED}.
     */
    static Headers carried(Headers in, int headerBytes) {
        Headers out = new RecordHeaders();
        long used = 0;
        int dropped = 0;
        for (Header header : in) {
            if (header.key().startsWith(RESERVED_PREFIX)) {
                continue;
            }
            long bytes = utf8(header.key()).length + length(header.value());
            if (used + bytes > headerBytes) {
                dropped++;
                continue;
            }
            used += bytes;
            out.add(header.key(), header.value());
        }
        if (dropped > 0) {
            out.add(HEADERS_DROPPED, utf8(Integer.toString(dropped)));
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
