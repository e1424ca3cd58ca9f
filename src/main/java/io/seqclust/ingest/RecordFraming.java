package io.seqclust.ingest;

/**
 * What wraps a record's JSON on the wire: nothing (plain JSON, the default), or a schema registry's frame
 * (a magic byte and the writer's schema id) whose schema must be one seqclust can read.
 */
@FunctionalInterface
public interface RecordFraming {

    RecordFraming NONE = (topic, value) -> value;

    /**
     * The JSON inside {@code value}, a record of {@code topic}.
     *
     * @throws InvalidSequenceException when the frame names a schema the registry does not know or one seqclust
     *                                  cannot read (codes SCHEMA_UNKNOWN, SCHEMA_INCOMPATIBLE)
     */
    byte[] payload(String topic, byte[] value) throws InvalidSequenceException;
}
