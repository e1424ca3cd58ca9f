package io.seqclust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqclust.assignment.AssignmentWriter;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * A registry through Confluent's Schema Registry REST API (Confluent's own, or a compatible one: Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda). Confluent's Java client is not on Maven Central, so these are
 * the API's few calls over the JDK's HTTP client ({@link RegistryHttp}): a subject's versions and compatibility
 * level, a schema by id, whether a schema is a version of a subject, and the registry's compatibility check of a
 * schema against a subject's latest version.
 */
public final class ConfluentSchemaRegistry implements SchemaRegistry {

    private final RegistryHttp http;

    /** @param url the API's root, e.g. {@code http://schema-registry:8081} */
    public ConfluentSchemaRegistry(String url) {
        this.http = new RegistryHttp(url, "application/vnd.schemaregistry.v1+json");
    }

    @Override
    public String url() {
        return http.url();
    }

    @Override
    public void register(String subject, String schema, String compatibility) {
        HttpResponse<String> r = http.send("POST", subject(subject) + "/versions", schemaBody(schema));
        if (r.statusCode() == 409) {
            throw new IllegalStateException("the registry at " + url() + " refuses " + subject + " as a new version of the "
                    + "subject there: " + r.body());
        }
        http.expectOk(r, "registering " + subject);
        http.expectOk(http.send("PUT", "/config/" + RegistryHttp.encode(subject),
                RegistryHttp.json(Map.of("compatibility", compatibility))), "setting the compatibility of " + subject);
    }

    @Override
    public Optional<String> differs(String subject, String schema) {
        HttpResponse<String> r = http.send("GET", subject(subject) + "/versions/latest", null);
        if (r.statusCode() == 404) {
            return Optional.of("no such subject");
        }
        http.expectOk(r, "reading " + subject);
        return RegistryHttp.read(RegistryHttp.read(r.body()).path("schema").asText()).equals(RegistryHttp.read(schema))
                ? Optional.empty() : Optional.of("its latest version is not this schema");
    }

    @Override
    public Verdict judge(String subject, long schemaId) {
        HttpResponse<String> byId = http.send("GET", "/schemas/ids/" + schemaId, null);
        if (byId.statusCode() == 404) {
            return new Verdict(false, true, "the registry at " + url() + " holds no schema of id " + schemaId);
        }
        http.expectOk(byId, "reading schema " + schemaId);
        String writer = schemaBody(RegistryHttp.read(byId.body()).path("schema").asText());
        HttpResponse<String> version = http.send("POST", subject(subject), writer);
        if (version.statusCode() == 200) {
            return Verdict.ok();
        }
        HttpResponse<String> check = http.send("POST", "/compatibility" + subject(subject) + "/versions/latest?verbose=true", writer);
        JsonNode answer = RegistryHttp.read(http.expectOk(check, "checking schema " + schemaId + " against " + subject).body());
        JsonNode messages = answer.path("messages");
        return answer.path("is_compatible").asBoolean(false) ? Verdict.ok()
                : new Verdict(false, false, "the writer's schema (id " + schemaId + ") is incompatible with " + subject + ": "
                + (messages.isArray() && !messages.isEmpty() ? messages.toString() : "the registry gave no reasons"));
    }

    @Override
    public AssignmentWriter assignmentWriter() {
        return new FramedAssignmentWriter(subject -> RegistryHttp.read(http.expectOk(
                http.send("GET", subject(subject) + "/versions/latest", null), "reading " + subject).body()).path("id").asInt());
    }

    private static String subject(String subject) {
        return "/subjects/" + RegistryHttp.encode(subject);
    }

    private static String schemaBody(String schema) {
        return RegistryHttp.json(Map.of("schemaType", "JSON", "schema", schema));
    }
}
