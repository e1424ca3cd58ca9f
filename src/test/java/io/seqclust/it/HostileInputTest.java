package io.seqclust.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.seqclust.assignment.HostileCheckpoints;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.model.train.TrainingProgress;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input against the running service and a real broker: valid records among records at and beyond
 * every limit. Each valid one is assigned once, each bad one dead-lettered once with its code, the stream
 * keeps running, nothing non-finite is published, and records of another D do not change the next model's D.
 * Then broken and hostile checkpoints on the models topic: each refused with its reason, the served one stays.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(HostileInputTest.OwnService.class)
class HostileInputTest {

    /** A service and broker of its own: the records here would disturb the other pipeline tests' counts. */
    public static class OwnService implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FaultInjectingEngine.class);
        }
    }

    private static final String SEQUENCES = "seqclust.sequences";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final int VALID = 1000;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    KafkaStreams streams;

    private TestKafka kafka;

    @Test
    void everyValidRecordIsAssignedOnceAndEveryHostileOneDeadLetteredOnceWithItsCode() throws Exception {
        try (TestKafka client = new TestKafka(bootstrap)) {
            kafka = client;
            hostileAmongValid();
        }
        apisAnswer503WithTheStateOnceTheTopologyIsDown();
    }

    /** Last, as it stops this service's topology: what it serves is then unknown, and the APIs say so. */
    private void apisAnswer503WithTheStateOnceTheTopologyIsDown() {
        assertTrue(streams.close(Duration.ofSeconds(60)), "the topology stops");
        given().get("/api/models").then().statusCode(503).contentType("application/json")
                .body("streams", equalTo("NOT_RUNNING")).body("error", equalTo("the assignment topology is not running"));
        given().contentType("application/json").body("{\"id\":\"a\",\"values\":[[0,0]]}").post("/api/assign").then()
                .statusCode(503).body("streams", equalTo("NOT_RUNNING"));
        given().get("/api/status").then().statusCode(200).body("streams", equalTo("NOT_RUNNING"));
        given().get("/q/health/ready").then().statusCode(503);
    }

    private void hostileAmongValid() throws Exception {
        raiseTopicLimit(8 << 20);
        DemoStream demo = new DemoStream(11, 2, 4, 20, 60, 0.2);
        long rssBefore = rssKb();

        // a first model, of D = 2
        for (int i = 0; i < VALID / 2; i++) {
            valid("h-v-" + i, demo);
        }
        kafka.flush();
        await().atMost(TIMEOUT).until(() -> given().get("/api/status").path("window.size") instanceof Integer n && n >= VALID / 2);
        train().body("dims", equalTo(2));

        Map<String, String> hostile = new LinkedHashMap<>();
        String ok = DemoStream.toJson("x", "h", 1L, demo.generate(0, 30));
        String body = ok.substring(1); // "\"id\":...}" : an object's body after its opening brace
        hostile.put("h-x-near-limit-invalid", "{" + "\"pad\":\"" + "x".repeat(999_000) + "\"");
        hostile.put("h-x-1mb", "{\"pad\":\"" + "x".repeat(1_040_000) + "\"," + body);
        hostile.put("h-x-3mb", "{\"pad\":\"" + "x".repeat(3_000_000) + "\"," + body);
        hostile.put("h-x-million-steps", "{\"id\":\"s\",\"values\":[" + "[0],".repeat(999_999) + "[0]]}");
        hostile.put("h-x-501-steps", "{\"id\":\"s\",\"values\":[" + "[0,0],".repeat(500) + "[0,0]]}");
        hostile.put("h-x-10k-dims", "{\"id\":\"s\",\"values\":[[" + "0,".repeat(9_999) + "0]]}");
        hostile.put("h-x-nesting", "{\"id\":\"s\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"values\":[[0,0]]}");
        hostile.put("h-x-trailing", ok + " trailing");
        hostile.put("h-x-two-objects", ok + ok);
        hostile.put("h-x-duplicate-keys", "{\"id\":\"a\"," + body);
        hostile.put("h-x-huge-value", "{\"id\":\"s\",\"values\":[[1.7e308,0]]}");
        hostile.put("h-x-long-timestamp", "{\"id\":\"s\",\"timestamp\":123456789012345678901234567890,\"values\":[[0,0]]}");
        hostile.put("h-x-1mb-id", "{\"id\":\"" + "i".repeat(990_000) + "\",\"values\":[[0,0]]}");
        // a valid record whose processing throws (a fault the test injects into the engine)
        hostile.put("h-x-processor-throws", ok.replace("\"x\"", "\"" + FaultInjectingEngine.FAULT_ID + "\""));
        Map<String, String> expected = new LinkedHashMap<>(Map.ofEntries(
                Map.entry("h-x-near-limit-invalid", "BAD_JSON"), Map.entry("h-x-1mb", "TOO_LARGE"),
                Map.entry("h-x-3mb", "TOO_LARGE"), Map.entry("h-x-million-steps", "TOO_LARGE"),
                Map.entry("h-x-501-steps", "TOO_LONG"), Map.entry("h-x-10k-dims", "TOO_WIDE"),
                Map.entry("h-x-nesting", "BAD_JSON"), Map.entry("h-x-trailing", "BAD_JSON"),
                Map.entry("h-x-two-objects", "BAD_JSON"), Map.entry("h-x-duplicate-keys", "BAD_JSON"),
                Map.entry("h-x-huge-value", "OUT_OF_RANGE"), Map.entry("h-x-long-timestamp", "OUT_OF_RANGE"),
                Map.entry("h-x-1mb-id", "SCHEMA"), Map.entry("h-x-invalid-utf8", "BAD_JSON"),
                Map.entry("h-x-overlong-utf8", "BAD_JSON"), Map.entry("h-x-tombstone", "EMPTY"),
                Map.entry("h-x-processor-throws", "INTERNAL")));
        List<String> validKeys = new ArrayList<>();
        for (int i = 0; i < VALID / 2; i++) {
            validKeys.add("h-v-" + i);
        }
        int i = VALID / 2;
        for (Map.Entry<String, String> e : hostile.entrySet()) {
            kafka.send(SEQUENCES, e.getKey(), e.getValue());
            validKeys.add(valid("h-v-" + i++, demo));
        }
        byte[] invalidUtf8 = ok.getBytes(StandardCharsets.UTF_8);
        invalidUtf8[3] = (byte) 0xFF;
        kafka.send(SEQUENCES, "h-x-invalid-utf8", invalidUtf8);
        kafka.send(SEQUENCES, "h-x-overlong-utf8", overlong());
        kafka.send(SEQUENCES, "h-x-tombstone", (byte[]) null);
        // valid records that carry hostile headers are still assigned, without them
        RecordHeaders many = new RecordHeaders();
        many.add("seqclust.error.code", "SPOOFED".getBytes(StandardCharsets.UTF_8));
        for (int h = 0; h < 10_000; h++) {
            many.add("h" + h, "0123456789".getBytes(StandardCharsets.UTF_8));
        }
        String headersKey = "h-v-headers";
        kafka.send(new ProducerRecord<>(SEQUENCES, null, headersKey,
                DemoStream.toJson(headersKey, "h", 1L, demo.next().values()).getBytes(StandardCharsets.UTF_8), many));
        validKeys.add(headersKey);
        // a valid record just under the limit: padded with a property the schema allows
        String nearKey = "h-v-near-limit";
        kafka.send(SEQUENCES, nearKey, "{\"pad\":\"" + "x".repeat(990_000) + "\"," + body.replace("\"x\"", "\"" + nearKey + "\""));
        validKeys.add(nearKey);
        // 400 records of another D: dead-lettered, and kept out of the next model
        DemoStream other = new DemoStream(12, 3, 4, 20, 60, 0.2);
        for (int d = 0; d < 400; d++) {
            String key = "h-d3-" + d;
            kafka.send(SEQUENCES, key, DemoStream.toJson(key, "h", 1L, other.next().values()));
            expected.put(key, "DIM_MISMATCH");
        }
        while (validKeys.size() < VALID + 2) {
            validKeys.add(valid("h-v-" + i++, demo));
        }
        kafka.flush();

        List<ConsumerRecord<String, byte[]>> assigned = kafka.readUntil("seqclust.assignments", k -> k.startsWith("h-"),
                l -> l.size() >= validKeys.size(), TIMEOUT, Duration.ofSeconds(3));
        List<ConsumerRecord<String, byte[]>> dead = kafka.readUntil("seqclust.dead-letters", k -> k.startsWith("h-"),
                l -> l.size() >= expected.size(), TIMEOUT, Duration.ofSeconds(3));

        assertEquals(validKeys.stream().sorted().toList(), assigned.stream().map(ConsumerRecord::key).sorted().toList(),
                "every valid record assigned exactly once");
        for (ConsumerRecord<String, byte[]> a : assigned) {
            String json = new String(a.value(), StandardCharsets.UTF_8);
            assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
            assertNull(TestKafka.header(a, "seqclust.error.code"), "an input's seqclust.* header is never passed on");
        }
        ConsumerRecord<String, byte[]> withHeaders = assigned.stream().filter(a -> a.key().equals(headersKey)).findFirst().orElseThrow();
        assertTrue(withHeaders.headers().toArray().length < 2_000, withHeaders.headers().toArray().length + " headers");
        Map<String, String> codes = dead.stream().collect(Collectors.toMap(ConsumerRecord::key,
                r -> TestKafka.header(r, "seqclust.error.code"), (a, b) -> a + "," + b));
        assertEquals(expected.size(), dead.size(), "every bad record dead-lettered exactly once");
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(codes));
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertTrue(r.serializedValueSize() + r.serializedKeySize() <= 1_000_000, r.key() + " is " + r.serializedValueSize());
        }

        given().get("/api/status").then().body("streams", equalTo("RUNNING"));
        int served = train().body("dims", equalTo(2)).extract().path("version");
        hostileCheckpoints(served, demo);
        long rssAfter = rssKb();
        System.out.printf("hostile input: %d assigned, %d dead-lettered; RSS %d MB before, %d MB after%n",
                assigned.size(), dead.size(), rssBefore / 1024, rssAfter / 1024);
    }

    /**
     * Broken and hostile checkpoints on the models topic, signed with the service's key (and one unsigned):
     * each is refused with its reason and counted, the served version stays and keeps assigning.
     */
    private void hostileCheckpoints(int served, DemoStream demo) {
        List<double[][]> d2 = new ArrayList<>();
        DemoStream five = new DemoStream(13, 5, 4, 20, 60, 0.2);
        List<double[][]> d5 = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            d2.add(demo.next().values());
            d5.add(five.next().values());
        }
        Map<String, HostileCheckpoints.Hostile> hostile = HostileCheckpoints.against(served, kmeans(d2), kmeans(d5));
        CheckpointSignature key = new CheckpointSignature(KafkaBrokerResource.SIGNING_KEY);
        Map<String, Double> before = PrometheusText.parse(given().get("/q/metrics").asString());
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (HostileCheckpoints.Hostile h : hostile.values()) {
            publishCheckpoint(h.bytes(), key.sign(h.bytes()));
            expected.merge(h.reason().name(), 1, Integer::sum);
        }
        publishCheckpoint(HostileCheckpoints.checkpoint(served + 1, 2, kmeans(d2).payload()).toBytes(), null);
        expected.merge("UNSIGNED", 1, Integer::sum);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, Double> after = PrometheusText.parse(given().get("/q/metrics").asString());
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                String series = "seqclust_checkpoints_rejected_total{reason=\"" + e.getKey() + "\"}";
                assertEquals(e.getValue().doubleValue(), after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0), series);
            }
        });
        given().get("/api/models").then().body("served.version", equalTo(served));
        String key2 = "h-after-checkpoints";
        kafka.send(SEQUENCES, key2, DemoStream.toJson(key2, "h", 1L, demo.next().values()));
        kafka.flush();
        List<ConsumerRecord<String, byte[]>> after = kafka.readUntil("seqclust.assignments", k -> k.equals(key2),
                l -> !l.isEmpty(), TIMEOUT, Duration.ofSeconds(1));
        assertEquals(1, after.size());
        assertEquals(served, io.seqclust.assignment.Assignment.fromJson(after.get(0).value()).modelVersion());
    }

    private static Assigner kmeans(List<double[][]> data) {
        return new KMeansAvg(KMeansAvg.Settings.DEFAULTS, 4).fit(data, 1, TrainingProgress.NONE).assigner();
    }

    private void publishCheckpoint(byte[] bytes, String signature) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>("seqclust.models", Checkpoint.TOPIC_KEY, bytes);
        if (signature != null) {
            r.headers().add(CheckpointSignature.HEADER, signature.getBytes(StandardCharsets.US_ASCII));
        }
        kafka.send(r);
        kafka.flush();
    }

    private String valid(String key, DemoStream demo) {
        kafka.send(SEQUENCES, key, DemoStream.toJson(key, "h", 1L, demo.next().values()));
        return key;
    }

    private static io.restassured.response.ValidatableResponse train() {
        return given().auth().oauth2(KafkaBrokerResource.ADMIN_TOKEN).post("/api/training?wait=true").then().statusCode(200)
                .body("success", equalTo(true));
    }

    /** "/" written as the two-byte overlong C0 AF inside an id. */
    private static byte[] overlong() {
        byte[] head = "{\"id\":\"a".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\"values\":[[0,0]]}".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xC0;
        out[head.length + 1] = (byte) 0xAF;
        System.arraycopy(tail, 0, out, head.length + 2, tail.length);
        return out;
    }

    private void raiseTopicLimit(int bytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await().atMost(TIMEOUT).until(() -> admin.listTopics().names().get().contains(SEQUENCES));
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, SEQUENCES),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(bytes)),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static long rssKb() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }
}
