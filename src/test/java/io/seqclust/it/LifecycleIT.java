package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.demo.DemoStream;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A served model keeps serving through runs that do not end well: one cancelled through the API (its
 * progress visible first, in {@code GET /api/training} and the metrics), one over its time budget, and one
 * that fails, and one whose model disagrees with the served one without being better by its own measure
 * (refused by the promotion gate); only the cancel is not counted as a failure.
 */
class LifecycleIT extends ProcessTest {


    @Test
    void cancelledOverBudgetFailingAndRefusedRunsLeaveTheServedModelServing() throws Exception {
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            DemoStream demo = new DemoStream(31, 2, 4, 20, 40, 0.2);
            ServiceProcess first = launchWith("first", "-Dseqclust.training.min-records=300"); // the default model
            first.awaitStatus("topics created", s -> s.path("topics").path("seqclust.sequences").asBoolean());
            for (int i = 0; i < 300; i++) {
                String id = "l-" + i;
                kafka.send("seqclust.sequences", id, DemoStream.toJson(id, "lifecycle-test", i, demo.next().values()));
            }
            kafka.flush();
            first.awaitStatus("serving v1", s -> s.path("model").path("version").asInt() == 1);
            assertTrue(first.stop());

            // an RDDC run of far more epochs than its time budget allows
            ServiceProcess slow = launchWith("slow", "-Dseqclust.model.name=rddc", "-Dseqclust.rddc.epochs=100000",
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
            ServiceProcess failing = launchWith("failing", "-Dseqclust.model.name=kmeans-avg", "-Dseqclust.model.k=400");
            failing.awaitStatus("idle on v1", s -> s.path("training").path("state").asText().equals("IDLE"));
            HttpResponse<String> failed = failing.post("/api/training?wait=true");
            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("fewer than k = 400"), failed.body());
            JsonNode after = failing.status();
            assertEquals(1, after.path("model").path("version").asInt(), "v1 still serves");
            assertEquals("BACKING_OFF", after.path("training").path("state").asText());
            assertTrue(failing.stop());

            // a model that clusters this stream badly (time averages of shapes that all average zero) disagrees with
            // v1 and is no better on its own terms: refused
            ServiceProcess bad = launchWith("bad", "-Dseqclust.model.name=kmeans-avg");
            bad.awaitStatus("idle on v1", s -> s.path("training").path("state").asText().equals("IDLE"));
            HttpResponse<String> refused = bad.post("/api/training?wait=true");
            assertEquals(500, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("not promoted: it agrees with v1"), refused.body());
            JsonNode models = json(bad.get("/api/models").body());
            assertEquals(1, models.path("served").path("version").asInt(), "v1 still serves");
            assertTrue(models.path("lastRefusal").asText().startsWith("not promoted"), models.toString());
            Map<String, Double> badMetrics = PrometheusText.parse(bad.get("/q/metrics").body());
            assertTrue(badMetrics.getOrDefault("seqclust_label_alignment_agreement", 1.0) < 0.3, badMetrics.toString());
            System.out.println("lifecycle: " + models.path("lastRefusal").asText());
        }
    }

    private ServiceProcess launchWith(String name, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of(settings));
        // no scheduled retrain: only the runs this test asks for
        all.add("-Dseqclust.training.min-new-records=5000");
        return launch(name, ServiceProcess.freePort(), all.toArray(String[]::new));
    }

    private static JsonNode json(String body) throws Exception {
        return new ObjectMapper().readTree(body);
    }
}
