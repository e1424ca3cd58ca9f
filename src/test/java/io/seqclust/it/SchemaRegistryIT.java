package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaDeserializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.seqclust.demo.DemoStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The registry path against a real Apicurio Registry ({@link ApicurioRegistry}: 3.0.9 from Maven Central, in-memory
 * storage, started by this test): seqclust registers its schemas at startup; sequences framed by Apicurio's JSON
 * Schema serializer, and by hand as Confluent's serializer frames them after registering through the registry's
 * Confluent-compatible API, are assigned; a record whose writer's schema the registry finds incompatible, and one
 * naming a schema id it does not hold, are dead-lettered with their codes; plain JSON still passes; assignments
 * come out framed and Apicurio's deserializer reads them.
 */
class SchemaRegistryIT extends ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApicurioRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = ApicurioRegistry.start(Path.of(System.getProperty("apicurio.registry.dir", "target/apicurio-registry")));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    /** seqclust on Apicurio's own API, then on its Confluent-compatible one: the same registry, the same answers. */
    @ParameterizedTest(name = "{0} API")
    @ValueSource(strings = {"apicurio", "confluent"})
    void framedInputIsJudgedByItsWritersSchemaAndAssignmentsComeOutFramed(String api) throws Exception {
        String url = registry.base() + "/apis/registry/v3";
        String seqclustUrl = api.equals("apicurio") ? url : registry.base() + "/apis/ccompat/v7";
        String r = api + "-r-";
        String bad = api + "-bad-";
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers());
             JsonSchemaKafkaSerializer<JsonNode> producerSerde = new JsonSchemaKafkaSerializer<>();
             JsonSchemaKafkaDeserializer<JsonNode> consumerSerde = new JsonSchemaKafkaDeserializer<>()) {
            ServiceProcess service = launch("registry-" + api, ServiceProcess.freePort(), "-Dseqclust.registry.url=" + seqclustUrl,
                    "-Dseqclust.registry.api=" + api,
                    "-Dseqclust.model.name=kmeans-avg", "-Dseqclust.model.k=4", "-Dseqclust.training.min-records=100");
            service.awaitStatus("running", s -> s.path("streams").asText().equals("RUNNING"));
            for (String artifact : List.of("seqclust.sequences-value", "seqclust.audio-value", "seqclust.assignments-value")) {
                assertEquals(200, get("/apis/registry/v3/groups/default/artifacts/" + artifact + "/versions/branch=latest/content")
                        .statusCode(), artifact + " registered at startup");
            }
            assertTrue(get("/apis/registry/v3/groups/default/artifacts/seqclust.sequences-value/rules/COMPATIBILITY").body()
                    .contains("FORWARD"));

            // a producer registers a compatible new version (one more optional property) through the
            // Confluent-compatible API, as Confluent's serializer does
            String compatible = Files.readString(Path.of("schemas/sequence.schema.json"))
                    .replace("\"additionalProperties\": true", "\"additionalProperties\": true, \"$comment\": \"v2\"")
                    .replace("\"timestamp\": {", "\"unit\": {\"type\": \"string\"}, \"timestamp\": {");
            long v2 = JSON.readTree(post("/apis/ccompat/v7/subjects/seqclust.sequences-value/versions",
                    JSON.writeValueAsString(Map.of("schemaType", "JSON", "schema", compatible))).body()).path("id").asLong();
            long v1 = JSON.readTree(get("/apis/registry/v3/groups/default/artifacts/seqclust.sequences-value/versions/1").body())
                    .path("contentId").asLong();
            // a producer with Apicurio's serializer, finding the latest schema: v2
            producerSerde.configure(Map.of(SerdeConfig.REGISTRY_URL, url, SerdeConfig.FIND_LATEST_ARTIFACT, "true",
                    SerdeConfig.AUTO_REGISTER_ARTIFACT, "false"), false);
            DemoStream demo = new DemoStream(3, 2, 4, 20, 60, 0.2);
            int framed = 150;
            for (int i = 0; i < framed; i++) {
                String id = r + i;
                byte[] value = producerSerde.serialize("seqclust.sequences",
                        JSON.readTree(DemoStream.toJson(id, "registry-test", i, demo.next().values())));
                assertEquals(v2, ByteBuffer.wrap(value, 1, 4).getInt(), "Apicurio's serializer frames the JSON with the latest id");
                kafka.send("seqclust.sequences", id, value);
            }
            // a producer still writing with seqclust's own version, v1, framed as Confluent's serializer frames:
            // readable although v1 is no longer the latest (judged against the latest alone, as an earlier version
            // of seqclust did, v1 is incompatible with v2: OBJECT_TYPE_PROPERTY_SCHEMAS_NARROWED, "unit")
            kafka.send("seqclust.sequences", r + "v1", frame(v1, DemoStream.toJson(r + "v1", "v1", 1, demo.next().values())));
            // a schema whose values are strings, registered elsewhere: incompatible with seqclust's
            String rogue = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"required\":[\"id\",\"values\"],"
                    + "\"properties\":{\"id\":{\"type\":\"string\"},\"values\":{\"type\":\"string\"}}}";
            long rogueId = JSON.readTree(post("/apis/ccompat/v7/subjects/rogue-value/versions",
                    JSON.writeValueAsString(Map.of("schemaType", "JSON", "schema", rogue))).body()).path("id").asLong();
            kafka.send("seqclust.sequences", bad + "incompatible", frame(rogueId, "{\"id\":\"x\",\"values\":\"1,2,3\"}"));
            kafka.send("seqclust.sequences", bad + "unknown", frame(987_654, DemoStream.toJson("x", "x", 1, demo.next().values())));
            kafka.send("seqclust.sequences", r + "plain", DemoStream.toJson(r + "plain", "plain", 1, demo.next().values()));
            kafka.flush();

            List<ConsumerRecord<String, byte[]>> out = kafka.readUntil("seqclust.assignments", k -> k.startsWith(r),
                    l -> l.size() >= framed + 2, ServiceProcess.TIMEOUT, Duration.ofSeconds(2));
            if (out.size() != framed + 2) {
                List<ConsumerRecord<String, byte[]>> deadReadable = kafka.readUntil("seqclust.dead-letters", k -> k.startsWith(r),
                        l -> false, Duration.ofSeconds(5), Duration.ZERO);
                fail(out.size() + " of " + (framed + 2) + " readable records assigned; dead-lettered: " + deadReadable.stream()
                        .limit(3).map(d -> d.key() + " " + TestKafka.header(d, "seqclust.error.code") + " "
                                + TestKafka.header(d, "seqclust.error.message")).toList() + "\n" + service.log());
            }
            consumerSerde.configure(Map.of(SerdeConfig.REGISTRY_URL, url), false);
            long assignmentSchema = JSON.readTree(get("/apis/registry/v3/groups/default/artifacts/seqclust.assignments-value"
                    + "/versions/branch=latest").body()).path("contentId").asLong();
            for (ConsumerRecord<String, byte[]> o : out) {
                assertEquals(assignmentSchema, ByteBuffer.wrap(o.value(), 1, 4).getInt(), "framed with the assignment schema's id");
                JsonNode a = consumerSerde.deserialize("seqclust.assignments", o.value());
                assertEquals(o.key(), a.path("id").asText());
                assertTrue(a.path("cluster").asInt() >= 0 && a.path("cluster").asInt() < 4);
            }
            List<ConsumerRecord<String, byte[]>> dead = kafka.readUntil("seqclust.dead-letters", k -> k.startsWith(bad),
                    l -> l.size() >= 2, ServiceProcess.TIMEOUT, Duration.ofSeconds(1));
            Map<String, String> codes = dead.stream().collect(Collectors.toMap(ConsumerRecord::key,
                    d -> TestKafka.header(d, "seqclust.error.code")));
            assertEquals(Map.of(bad + "incompatible", "SCHEMA_INCOMPATIBLE", bad + "unknown", "SCHEMA_UNKNOWN"), codes);
            String why = dead.stream().filter(d -> d.key().equals(bad + "incompatible"))
                    .map(d -> TestKafka.header(d, "seqclust.error.message")).findFirst().orElseThrow();
            // Apicurio's own API says where; its Confluent-compatible one (3.0.9) gives no reasons
            assertTrue(api.equals("apicurio") ? why.contains("/properties/values") : why.contains("is incompatible"), why);
            System.out.printf("registry, seqclust on the %s API: %d framed by Apicurio's serializer (v2), 1 framed Confluent-style with v1 and 1 plain record assigned, "
                    + "assignments framed with content id %d; dead letters %s; the incompatible one: %s%n", api, framed,
                    assignmentSchema, codes, why);
        }
    }

    /** With registration off, a registry that lacks seqclust's schemas stops the start, naming what is missing. */
    @Test
    void withRegistrationOffMissingSchemasStopTheStart() throws Exception {
        ServiceProcess service = launch("registry-check", ServiceProcess.freePort(),
                "-Dseqclust.registry.url=" + registry.base() + "/apis/registry/v3", "-Dseqclust.registry.group=nobody-registered-here",
                "-Dseqclust.registry.register=false");
        assertTrue(service.process().waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the service stops by itself");
        assertTrue(service.process().exitValue() != 0, "exit code");
        String log = service.log();
        assertTrue(log.contains("seqclust.registry.register=false") && log.contains("seqclust.sequences-value")
                && log.contains("no such artifact in group nobody-registered-here"), log);
    }

    private static byte[] frame(long schemaId, String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt((int) schemaId).put(payload).array();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return registry.get(path);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpResponse<String> r = registry.post(path, "application/vnd.schemaregistry.v1+json", body);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r;
    }
}
