package io.seqclust.registry;

import io.seqclust.assignment.Assignment;
import io.seqclust.assignment.AssignmentWriter;

import java.nio.ByteBuffer;
import java.util.function.ToIntFunction;

/**
 * Assignments as registry serializers frame them (Apicurio's 3.x default, Confluent's): a zero byte, the 4-byte id
 * of the assignments topic's latest schema (looked up on first use), then the JSON.
 */
final class FramedAssignmentWriter implements AssignmentWriter {

    private final ToIntFunction<String> latestSchemaId;
    private volatile int id = -1;

    /** @param latestSchemaId the id of a subject's latest schema */
    FramedAssignmentWriter(ToIntFunction<String> latestSchemaId) {
        this.latestSchemaId = latestSchemaId;
    }

    @Override
    public byte[] write(String topic, Assignment assignment) {
        if (id < 0) {
            id = latestSchemaId.applyAsInt(topic + "-value");
        }
        byte[] json = assignment.toJson();
        return ByteBuffer.allocate(RegistryFraming.HEADER_BYTES + json.length).put(RegistryFraming.MAGIC).putInt(id)
                .put(json).array();
    }
}
