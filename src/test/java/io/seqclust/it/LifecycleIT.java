package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.demo.DemoStream;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A served model keeps serving through runs that do not end well: one cancelled through the API (its
 * progress visible first, in {@code GET /api/training} and the metrics), one over its time budget, and one
 * that fails; only the two last count as failures.
 */
class LifecycleIT {

    private static EmbeddedKafkaBroker broker;
    private static Path work;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory("seqclust-lifecycle");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void cancelledOverBudgetAndFailingRunsLeaveTheServedModelServing() throws Exception {
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            DemoStream demo = new DemoStream(31, 2, 4, 20, 40, 0.2);
            ServiceProcess first = launch("first", "-Dseqclust.model.name=kmeans-avg", "-Dseqclust.training.min-records=300");
            first.awaitStatus("topics created", s -> s.path("topics").path("seqclust.sequences").asBoolean());
            for (int i = 0; i < 300; i++) {
                String id = "l-" + i;
                kafka.send("seqclust.sequences", id, DemoStream.toJson(id, "lifecycle-test", i, demo.next().values()));
            }
            kafka.flush();
            first.awaitStatus("serving v1", s -> s.path("model").path("version").asInt() == 1);
            assertTrue(first.stop());

            // an RDDC run of far more epochs than its time budget allows
            ServiceProcess slow = launch("slow", "-Dseqclust.model.name=rddc", "-Dseqclust.rddc.epochs=100000",
                    "-Dseqclust.training.time-budget=15s", "-Dseqclust.training.threads=1");
            slow.awaitStatus("idle on v1", s -> s.path("training").path("state").asText().equals("IDLE")
                    && s.path("model").path("version").asInt() == 1);
            assertEquals(202, slow.post("/api/training").statusCode());
            slow.await("reporting epochs", () -> json(slow.get("/api/training").body()).path("run").path("epoch").asInt() >= 1);
            JsonNode run = json(slow.get("/api/training").body()).path("run");
            assertEquals("rddc", run.path("model").asText());
            assertTrue(run.path("loss").size() >= 2, "the loss by term: " + run);
            assertTrue(run.path("etaSeconds").asDouble() > 0, run.toString());
            Map<String, Double> metrics = PrometheusText.parse(slow.get("/q/metrics").body());
            assertTrue(metrics.getOrDefault("seqclust_training_progress", -1.0) > 0, "progress metric");
            assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("seqclust_training_loss{term=")), metrics.keySet().toString());

            HttpResponse<String> cancel = slow.delete("/api/training");
            assertEquals(202, cancel.statusCode(), cancel.body());
            slow.await("stopping", () -> json(slow.get("/api/training").body()).path("recent").size() == 1);
            JsonNode cancelled = json(slow.get("/api/training").body());
            assertTrue(cancelled.path("recent").get(0).path("cancelled").asBoolean(), cancelled.toString());
            assertEquals(0, cancelled.path("failures").asInt(), "a cancel is no failure");
            assertEquals(1, slow.status().path("model").path("version").asInt(), "v1 still serves");

            HttpResponse<String> overBudget = slow.post("/api/training?wait=true");
            assertEquals(500, overBudget.statusCode(), overBudget.body());
            assertTrue(overBudget.body().contains("over its time budget of 15 s"), overBudget.body());
            assertEquals(1, slow.status().path("model").path("version").asInt(), "v1 still serves");
            assertEquals(1, json(slow.get("/api/training").body()).path("failures").asInt());
            assertTrue(slow.stop());

            // a run that fails: more clusters than sequences
            ServiceProcess failing = launch("failing", "-Dseqclust.model.name=kmeans-avg", "-Dseqclust.model.k=400");
            failing.awaitStatus("idle on v1", s -> s.path("training").path("state").asText().equals("IDLE"));
            HttpResponse<String> failed = failing.post("/api/training?wait=true");
            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("fewer than k = 400"), failed.body());
            JsonNode after = failing.status();
            assertEquals(1, after.path("model").path("version").asInt(), "v1 still serves");
            assertEquals("BACKING_OFF", after.path("training").path("state").asText());
        } finally {
            processes.forEach(ServiceProcess::close);
        }
    }

    private ServiceProcess launch(String name, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of(settings));
        // no scheduled retrain: only the runs this test asks for
        all.add("-Dseqclust.training.min-new-records=5000");
        ServiceProcess p = ServiceProcess.launch(work, name, broker.bootstrapServers(), ServiceProcess.freePort(),
                all.toArray(String[]::new));
        processes.add(p);
        return p;
    }

    private static JsonNode json(String body) throws Exception {
        return new ObjectMapper().readTree(body);
    }
}
