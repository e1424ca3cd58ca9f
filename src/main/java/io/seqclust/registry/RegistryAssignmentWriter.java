package io.seqclust.registry;

import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.seqclust.assignment.Assignment;
import io.seqclust.assignment.AssignmentWriter;
import io.seqclust.ingest.RegistryUnavailableException;

import java.util.Map;

/**
 * Assignments framed by Apicurio's JSON Schema serializer: the schema registered for the assignments topic
 * ({@code <topic>-value}, the serializer's topic strategy), found, never registered by the serializer itself, and
 * its id written before the JSON, so that Apicurio's and Confluent's deserializers read them.
 */
final class RegistryAssignmentWriter implements AssignmentWriter {

    private final JsonSchemaKafkaSerializer<Assignment> serializer = new JsonSchemaKafkaSerializer<>();
    private final String url;

    RegistryAssignmentWriter(String url, String group) {
        this.url = url;
        serializer.configure(Map.of(
                SerdeConfig.REGISTRY_URL, url,
                SerdeConfig.EXPLICIT_ARTIFACT_GROUP_ID, group,
                SerdeConfig.AUTO_REGISTER_ARTIFACT, "false",
                SerdeConfig.FIND_LATEST_ARTIFACT, "true"), false);
    }

    @Override
    public byte[] write(String topic, Assignment assignment) {
        try {
            return serializer.serialize(topic, assignment);
        } catch (RuntimeException e) {
            throw new RegistryUnavailableException("the assignment schema could not be found in the registry at " + url
                    + ": " + e.getMessage(), e);
        }
    }
}
