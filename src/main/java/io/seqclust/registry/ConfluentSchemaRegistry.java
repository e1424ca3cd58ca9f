package io.seqclust.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.assignment.AssignmentWriter;
import io.seqclust.ingest.RegistryUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A registry through Confluent's Schema Registry REST API (Confluent's own, or a compatible one: Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda). Confluent's Java client is not on Maven Central, so these are
 * the API's few calls over the JDK's HTTP client: a subject's versions and compatibility level, a schema by id,
 * and the registry's compatibility check of a schema against a subject's latest version.
 */
public final class ConfluentSchemaRegistry implements SchemaRegistry {

    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String url;

    /** @param url the API's root, e.g. {@code http://schema-registry:8081} */
    public ConfluentSchemaRegistry(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public void register(String subject, String schema, String compatibility) {
        HttpResponse<String> r = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        if (r.statusCode() == 409) {
            throw new IllegalStateException("the registry at " + url + " refuses " + subject + " as a new version of the "
                    + "subject there: " + r.body());
        }
        expectOk(r, "registering " + subject);
        expectOk(send("PUT", "/config/" + encode(subject), json(Map.of("compatibility", compatibility))),
                "setting the compatibility of " + subject);
    }

    @Override
    public Optional<String> differs(String subject, String schema) {
        HttpResponse<String> r = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        if (r.statusCode() == 404) {
            return Optional.of("no such subject");
        }
        expectOk(r, "reading " + subject);
        return read(read(r.body()).path("schema").asText()).equals(read(schema)) ? Optional.empty()
                : Optional.of("its latest version is not this schema");
    }

    @Override
    public Verdict judge(String subject, long schemaId) {
        HttpResponse<String> byId = send("GET", "/schemas/ids/" + schemaId, null);
        if (byId.statusCode() == 404) {
            return new Verdict(false, true, "the registry at " + url + " holds no schema of id " + schemaId);
        }
        expectOk(byId, "reading schema " + schemaId);
        HttpResponse<String> check = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(read(byId.body()).path("schema").asText()));
        expectOk(check, "checking schema " + schemaId + " against " + subject);
        JsonNode answer = read(check.body());
        JsonNode messages = answer.path("messages");
        return answer.path("is_compatible").asBoolean(false) ? Verdict.ok()
                : new Verdict(false, false, "the writer's schema (id " + schemaId + ") is incompatible with " + subject + ": "
                + (messages.isArray() && !messages.isEmpty() ? messages.toString() : "the registry gave no reasons"));
    }

    /** The id of the assignments topic's latest schema, looked up on first use, before each assignment's JSON. */
    @Override
    public AssignmentWriter assignmentWriter() {
        return new AssignmentWriter() {
            private volatile int id = -1;

            @Override
            public byte[] write(String topic, io.seqclust.assignment.Assignment assignment) {
                if (id < 0) {
                    HttpResponse<String> r = send("GET", "/subjects/" + encode(topic + "-value") + "/versions/latest", null);
                    expectOk(r, "reading " + topic + "-value");
                    id = read(r.body()).path("id").asInt();
                }
                byte[] json = assignment.toJson();
                return ByteBuffer.allocate(RegistryFraming.HEADER_BYTES + json.length).put(RegistryFraming.MAGIC).putInt(id)
                        .put(json).array();
            }
        };
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("accept", MEDIA_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", MEDIA_TYPE);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("the schema registry at " + url + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while asking the schema registry at " + url, e);
        }
    }

    private void expectOk(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new RegistryUnavailableException("the schema registry at " + url + " answered " + r.statusCode() + " to "
                    + what + ": " + r.body(), null);
        }
    }

    private static String schemaBody(String schema) {
        return json(Map.of("schemaType", "JSON", "schema", schema));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new RegistryUnavailableException("the schema registry's answer is not JSON: " + text, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
