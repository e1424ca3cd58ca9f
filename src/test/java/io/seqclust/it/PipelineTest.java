package io.seqclust.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.seqclust.assignment.Assignment;
import io.seqclust.assignment.TopologyProducer;
import io.seqclust.demo.DemoStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole service against a real broker: every record gets exactly one outcome, records wait for the
 * first model, a retrain under load switches versions with no gap or duplicate, and the meters count it.
 * The methods run in order: the first one sees the service before any model exists.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {

    private static final String SEQUENCES = "seqclust.sequences";
    private static final String ASSIGNMENTS = "seqclust.assignments";
    private static final String DEAD_LETTERS = "seqclust.dead-letters";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.kafka-streams.application-id")
    String applicationId;

    private static TestKafka kafka;
    private static final String API_PROBE = DemoStream.toJson("api-1", "test", 5, new DemoStream(9, 2, 4, 30, 30, 0.1).next().values());
    /** What v1 gave for {@link #API_PROBE}. */
    private static List<Float> v1Probabilities;

    @AfterAll
    static void close() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private TestKafka kafka() {
        if (kafka == null) {
            kafka = new TestKafka(bootstrap);
        }
        return kafka;
    }

    @Test
    @Order(1)
    void everyValidRecordGetsOneAssignmentAndEveryMalformedOneOneDeadLetter() {
        Map<String, Double> before = metrics();
        given().get("/q/health/ready").then().statusCode(503);

        Random random = new Random(1);
        DemoStream demo = new DemoStream(2, 2, 4, 20, 150, 0.2);
        Map<String, String> expectedCode = new HashMap<>();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = "p1-ok-" + i;
            records.add(new String[] {id, DemoStream.toJson(id, "test", i, demo.next().values())});
        }
        DemoStream threeDims = new DemoStream(3, 3, 4, 20, 60, 0.2);
        for (int i = 0; i < 20; i++) {
            malformed(records, expectedCode, "p1-json-" + i, "BAD_JSON", "{\"id\":\"x\",\"values\":[[1,2],[3,4]");
            malformed(records, expectedCode, "p1-ragged-" + i, "RAGGED", "{\"id\":\"x\",\"values\":[[1,2],[3,4],[5]]}");
            malformed(records, expectedCode, "p1-nonfinite-" + i, "NON_FINITE",
                    i % 2 == 0 ? "{\"id\":\"x\",\"values\":[[1,NaN],[3,4]]}" : "{\"id\":\"x\",\"values\":[[1,2],[Infinity,4]]}");
            malformed(records, expectedCode, "p1-empty-" + i, "EMPTY", i % 2 == 0 ? "" : "{\"id\":\"x\",\"values\":[]}");
            malformed(records, expectedCode, "p1-schema-" + i, "SCHEMA", "{\"values\":[[1,2]]}");
            String wrongD = "p1-dims-" + i;
            malformed(records, expectedCode, wrongD, "DIM_MISMATCH", DemoStream.toJson(wrongD, "test", i, threeDims.next().values()));
            String longId = "p1-long-" + i;
            malformed(records, expectedCode, longId, "TOO_LONG", DemoStream.toJson(longId, "test", i, demo.generate(0, 501)));
        }
        Collections.shuffle(records, random);
        for (String[] r : records) {
            kafka().send(SEQUENCES, r[0], r[1]);
        }
        kafka().flush();

        // no model yet: valid records (and those whose D only a model can judge) wait, the rest are dead-lettered
        await().atMost(TIMEOUT).until(() -> delta(before, "seqclust_records_consumed_total") == records.size());
        assertEquals(1000 + 20, value(metrics(), "seqclust_records_pending"));
        given().get("/q/health/ready").then().statusCode(503);

        given().auth().oauth2(KafkaBrokerResource.ADMIN_TOKEN).post("/api/training?wait=true").then().statusCode(200)
                .body("success", equalTo(true)).body("version", equalTo(1)).body("dims", equalTo(2))
                // the window holds far fewer than this resource's seqclust.training.min-records
                .body("warning", org.hamcrest.Matchers.startsWith("trained on "))
                .body("warning", org.hamcrest.Matchers.containsString("fewer than seqclust.training.min-records = 20000"));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

        List<ConsumerRecord<String, byte[]>> assigned = kafka().readUntil(ASSIGNMENTS, k -> k.startsWith("p1-"),
                l -> l.size() >= 1000, TIMEOUT, Duration.ofSeconds(2));
        List<ConsumerRecord<String, byte[]>> dead = kafka().readUntil(DEAD_LETTERS, k -> k.startsWith("p1-"),
                l -> l.size() >= expectedCode.size(), TIMEOUT, Duration.ofSeconds(1));

        Map<String, Long> assignedIds = assigned.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertEquals(1000, assigned.size(), "assignments, duplicates included");
        assertEquals(1000, assignedIds.size(), "distinct assigned ids");
        assertTrue(assignedIds.keySet().stream().allMatch(k -> k.startsWith("p1-ok-")));
        for (ConsumerRecord<String, byte[]> r : assigned) {
            Assignment a = Assignment.fromJson(r.value());
            assertEquals(r.key(), a.id());
            assertEquals(1, a.modelVersion());
            assertEquals("1", TestKafka.header(r, "modelVersion"));
            assertEquals(4, a.probabilities().length);
            assertEquals(a.probabilities()[a.cluster()], a.confidence(), 0.0);
        }
        assertEquals(expectedCode.size(), dead.size(), "dead letters, duplicates included");
        Map<String, String> deadCodes = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : dead) {
            deadCodes.put(r.key(), TestKafka.header(r, "seqclust.error.code"));
            assertEquals(SEQUENCES, TestKafka.header(r, "seqclust.source.topic"));
            assertTrue(TestKafka.header(r, "seqclust.error.message").length() > 10);
        }
        assertEquals(expectedCode, deadCodes);

        Map<String, Double> after = metrics();
        assertEquals(records.size(), delta(before, after, "seqclust_records_consumed_total"));
        assertEquals(1000, delta(before, after, "seqclust_records_assigned_total{topic=\"seqclust.sequences\"}"));
        assertEquals(1000, delta(before, after, "seqclust_assignment_latency_seconds_count"));
        for (String code : List.of("BAD_JSON", "RAGGED", "NON_FINITE", "EMPTY", "SCHEMA", "DIM_MISMATCH", "TOO_LONG")) {
            assertEquals(20, delta(before, after, "seqclust_records_dead_lettered_total{reason=\"" + code + "\"}"), code);
        }
        assertEquals(0, value(after, "seqclust_records_pending"));
        assertEquals(1, value(after, "seqclust_model_version"));
        assertEquals(1, value(after, "seqclust_training_duration_seconds_count{model=\"kmeans-avg\",result=\"success\"}"));
        assertTrue(value(after, "seqclust_window_size") >= 1000, "window holds the valid records");
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("kafka_stream_")), "Kafka Streams meters are bound");
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("kafka_consumer_")), "Kafka client meters are bound");
    }

    @Test
    @Order(2)
    void aStateChangingCallNeedsTheAdminToken() {
        given().post("/api/training?wait=true").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                .body("error", org.hamcrest.Matchers.containsString("seqclust.admin.token"));
        given().auth().oauth2("not-" + KafkaBrokerResource.ADMIN_TOKEN).post("/api/training?wait=true").then().statusCode(403)
                .body("error", org.hamcrest.Matchers.containsString("not seqclust.admin.token"));
        given().get("/api/status").then().statusCode(200);
    }

    @Test
    @Order(2)
    void theApiAssignsThroughTheStreamsCodePath() {
        String body = API_PROBE;
        v1Probabilities = given().contentType("application/json").body(body).post("/api/assign").then().statusCode(200)
                .body("id", equalTo("api-1")).body("modelVersion", equalTo(1)).body("timestamp", equalTo(5))
                .extract().path("probabilities");
        given().contentType("application/json").body("{\"id\":\"a\",\"values\":[[1,2,3]]}").post("/api/assign")
                .then().statusCode(400).body("code", equalTo("DIM_MISMATCH"));
        given().get("/api/status").then().statusCode(200).body("model.version", equalTo(1))
                .body("topics.'seqclust.models'", equalTo(true)).body("streams", equalTo("RUNNING"));
        given().get("/api/models").then().statusCode(200).body("served.model", equalTo("kmeans-avg"))
                .body("published[0].version", equalTo(1));
    }

    @Test
    @Order(3)
    void aRetrainWhileRecordsFlowSwitchesVersionsWithNoGapAndNoDuplicate() throws Exception {
        Map<String, Double> before = metrics();
        int total = 2000;
        AtomicInteger sent = new AtomicInteger();
        DemoStream demo = new DemoStream(5, 2, 4, 20, 150, 0.2);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                String id = "p3-" + i;
                kafka().send(SEQUENCES, id, DemoStream.toJson(id, "test", i, demo.next().values()));
                sent.incrementAndGet();
                if (i % 20 == 0) {
                    sleep(20);
                }
            }
            kafka().flush();
        });
        producer.start();
        await().atMost(TIMEOUT).until(() -> sent.get() >= total / 3);
        given().auth().oauth2(KafkaBrokerResource.ADMIN_TOKEN).post("/api/training?wait=true").then().statusCode(200).body("version", equalTo(2));
        assertTrue(sent.get() < total, "the retrain finished while records were still flowing");
        producer.join();

        List<ConsumerRecord<String, byte[]>> assigned = kafka().readUntil(ASSIGNMENTS, k -> k.startsWith("p3-"),
                l -> l.size() >= total, TIMEOUT, Duration.ofSeconds(2));
        assertEquals(total, assigned.size(), "assignments, duplicates included");
        assertEquals(total, assigned.stream().map(ConsumerRecord::key).distinct().count(), "no gap, no duplicate");
        Map<Integer, List<Long>> versionsByPartition = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : assigned) {
            versionsByPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Assignment.fromJson(r.value()).modelVersion());
        }
        for (List<Long> versions : versionsByPartition.values()) {
            for (int i = 1; i < versions.size(); i++) {
                assertTrue(versions.get(i) >= versions.get(i - 1), "a partition went back to an older model");
            }
        }
        List<Long> all = versionsByPartition.values().stream().flatMap(List::stream).toList();
        assertTrue(all.contains(1L) && all.contains(2L), "assignments from both v1 and v2");
        assertTrue(all.stream().allMatch(v -> v == 1L || v == 2L));
        given().get("/api/models").then().body("published[0].version", equalTo(2)).body("served.version", equalTo(2));
        // records come in bursts of 20, 20 ms apart: the service's stream threads catch up between them, and their
        // batches are assigned then, not after batch-wait (the Kafka Streams instance makes its clients by InputPositions)
        assertTrue(delta(before, "seqclust_assignment_batches_total{trigger=\"caught-up\"}") > 0, "batches assigned on catching up");
    }

    /**
     * At a light load a record comes alone, and is assigned as it comes: it never enters the pending store, whose
     * changelog takes no write (no counter, no record, no commit marker) while such records flow.
     */
    @Test
    @Order(4)
    void aRecordThatComesAloneIsAssignedWithoutThePendingStore() {
        String changelog = applicationId + "-" + TopologyProducer.PENDING_STORE + "-changelog";
        Map<String, Double> before = metrics();
        long written = kafka().endOffsets(changelog);
        DemoStream demo = new DemoStream(11, 2, 4, 20, 150, 0.2);
        int alone = 5;
        for (int i = 0; i < alone; i++) {
            String id = "p4-" + i;
            kafka().send(SEQUENCES, id, DemoStream.toJson(id, "test", i, demo.next().values()));
            kafka().flush();
            assertEquals(1, kafka().readUntil(ASSIGNMENTS, id::equals, l -> !l.isEmpty(), TIMEOUT, Duration.ZERO).size(), id);
        }
        assertEquals(written, kafka().endOffsets(changelog), "the pending store's changelog took writes");
        assertEquals(alone, delta(before, "seqclust_assignment_batches_total{trigger=\"caught-up\"}"), "each a batch of one, on catching up");
    }

    @Test
    @Order(5)
    void aRollbackServesAnEarlierModelAgainAsTheNextVersion() {
        given().auth().oauth2(KafkaBrokerResource.ADMIN_TOKEN).post("/api/models/rollback?version=999").then().statusCode(422)
                .body("message", org.hamcrest.Matchers.containsString("v999 is not among"));
        given().post("/api/models/rollback?version=1").then().statusCode(401);
        given().auth().oauth2(KafkaBrokerResource.ADMIN_TOKEN).post("/api/models/rollback?version=1").then().statusCode(200)
                .body("version", equalTo(3));
        given().get("/api/models").then().body("served.version", equalTo(3));
        List<Float> again = given().contentType("application/json").body(API_PROBE).post("/api/assign").then().statusCode(200)
                .body("modelVersion", equalTo(3)).extract().path("probabilities");
        assertEquals(v1Probabilities, again, "v3 is v1 again");
    }

    private static void malformed(List<String[]> records, Map<String, String> expected, String id, String code, String value) {
        records.add(new String[] {id, value});
        expected.put(id, code);
    }

    private static Map<String, Double> metrics() {
        return PrometheusText.parse(RestAssured.get("/q/metrics").asString());
    }

    private static double value(Map<String, Double> m, String series) {
        return PrometheusText.sum(m, series);
    }

    private static double delta(Map<String, Double> before, String series) {
        return delta(before, metrics(), series);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return value(after, series) - value(before, series);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
