package io.seqclust.registry;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.RecordFraming;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frame that Apicurio's serializers (3.x, by default) and Confluent's write around a record's JSON: a zero
 * byte, the writer's schema id in 4 bytes big-endian (Apicurio's content id, which is also the id its
 * Confluent-compatible API gives), then the JSON. A record that does not start with a zero byte is plain JSON
 * and passes as it is. Each id is judged once (the registry's compatibility check, in a dry run, against the
 * topic's artifact {@code <topic>-value}) and the verdict kept. Thread-safe.
 */
public final class RegistryFraming implements RecordFraming {

    static final byte MAGIC = 0;
    static final int HEADER_BYTES = 5;
    /** Verdicts kept; the least recently used go beyond it. */
    private static final int MAX_VERDICTS = 1000;

    private final SchemaRegistry registry;
    private final Map<Long, SchemaRegistry.Verdict> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SchemaRegistry.Verdict> eldest) {
            return size() > MAX_VERDICTS;
        }
    };

    public RegistryFraming(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public byte[] payload(String topic, byte[] value) throws InvalidSequenceException {
        if (value[0] != MAGIC) {
            return value;
        }
        if (value.length < HEADER_BYTES) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA_UNKNOWN, "a registry frame needs a zero byte and a "
                    + "4-byte schema id; this record has " + value.length + " bytes");
        }
        long id = ((value[1] & 0xffL) << 24) | ((value[2] & 0xffL) << 16) | ((value[3] & 0xffL) << 8) | (value[4] & 0xffL);
        SchemaRegistry.Verdict verdict = verdict(topic + "-value", id);
        if (!verdict.readable()) {
            throw new InvalidSequenceException(verdict.unknown() ? ErrorCode.SCHEMA_UNKNOWN : ErrorCode.SCHEMA_INCOMPATIBLE,
                    verdict.reason());
        }
        return Arrays.copyOfRange(value, HEADER_BYTES, value.length);
    }

    /** Asked outside the lock: a slow registry holds up only the records of ids not yet judged. */
    private SchemaRegistry.Verdict verdict(String artifactId, long id) {
        synchronized (verdicts) {
            SchemaRegistry.Verdict known = verdicts.get(id);
            if (known != null) {
                return known;
            }
        }
        SchemaRegistry.Verdict fresh = registry.judge(artifactId, id);
        synchronized (verdicts) {
            verdicts.put(id, fresh);
        }
        return fresh;
    }
}
