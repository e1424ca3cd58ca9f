package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqclust.demo.DemoStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment of {@code k8s/}: two assigner-only processes and one that assigns and trains share the
 * sequences topic. A first model that cannot train (fewer sequences than clusters) backs off, doubling the
 * wait, and is trained once it can; assigners refuse training calls; every record is assigned exactly once.
 */
class RolesIT extends ProcessTest {


    @Test
    void assignersAndATrainerShareTheStreamAndOnlyTheTrainerTrains() throws Exception {
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            // 4 clusters need at least 4 sequences; the trainer may start at 3, and fails until there are more
            ServiceProcess trainer = launchAs("trainer", "assigner,trainer", "-Dseqclust.training.min-records=3",
                    "-Dseqclust.training.backoff=1s");
            trainer.awaitStatus("topics created", s -> s.path("topics").path("seqclust.sequences").asBoolean());
            ServiceProcess a1 = launchAs("assigner-1", "assigner");
            ServiceProcess a2 = launchAs("assigner-2", "assigner");
            DemoStream demo = new DemoStream(21, 2, 4, 20, 60, 0.2);
            int n = 0;
            for (; n < 3; n++) {
                send(kafka, demo, n);
            }
            kafka.flush();

            trainer.awaitStatus("failing three times", s -> s.path("training").path("failures").asInt() >= 3);
            JsonNode backingOff = trainer.status().path("training");
            assertTrue(backingOff.path("lastFailure").asText().contains("fewer than k = 4"), backingOff.toString());
            List<Long> waits = new ArrayList<>();
            Matcher m = Pattern.compile("training kmeans-avg failed \\[first model.*?\\] \\((\\d+) in a row\\).*?next automatic attempt in (\\d+) s")
                    .matcher(trainer.log());
            while (m.find()) {
                assertEquals(waits.size() + 1, Integer.parseInt(m.group(1)), "one line per attempt");
                waits.add(Long.parseLong(m.group(2)));
            }
            assertEquals(List.of(1L, 2L, 4L), waits.subList(0, 3), "the wait doubles after each failure");

            for (ServiceProcess assigner : List.of(a1, a2)) {
                assigner.awaitStatus("running", s -> s.path("streams").asText().equals("RUNNING"));
                HttpResponse<String> refused = assigner.post("/api/training?wait=true");
                assertEquals(409, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("this instance does not train (seqclust.roles=assigner)"), refused.body());
                JsonNode status = assigner.status();
                assertEquals("NOT_A_TRAINER", status.path("training").path("state").asText());
                assertEquals(0, status.path("window").path("size").asInt(), "an assigner keeps no window");
            }

            int total = 1500;
            for (; n < total; n++) {
                send(kafka, demo, n);
            }
            kafka.flush();
            trainer.awaitStatus("serving a first model", s -> s.path("model").path("version").asInt() >= 1);
            List<ConsumerRecord<String, byte[]>> assigned = kafka.readUntil("seqclust.assignments", k -> k.startsWith("q-"),
                    l -> l.size() >= total, ServiceProcess.TIMEOUT, Duration.ofSeconds(3));
            Map<String, Long> perId = assigned.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(List.of(), perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(), "duplicates");
            assertEquals(total, perId.size(), "assigned ids (the rest were lost)");
            for (ServiceProcess p : List.of(trainer, a1, a2)) {
                double consumed = PrometheusText.parse(p.get("/q/metrics").body()).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("seqclust_records_consumed_total")).mapToDouble(Map.Entry::getValue).sum();
                assertTrue(consumed > 0, "each process assigns its share of the partitions");
            }
            System.out.printf("roles: %d records assigned once by 3 processes; the first model after %d failed attempts (waits %s s)%n",
                    total, waits.size(), waits);
        }
    }

    private ServiceProcess launchAs(String name, String roles, String... more) throws Exception {
        List<String> settings = new ArrayList<>(List.of("-Dseqclust.roles=" + roles, "-Dseqclust.model.name=kmeans-avg",
                "-Dseqclust.model.k=4"));
        settings.addAll(List.of(more));
        return launch(name, ServiceProcess.freePort(), settings.toArray(String[]::new));
    }

    private static void send(TestKafka kafka, DemoStream demo, int i) {
        String id = "q-" + i;
        kafka.send("seqclust.sequences", id, DemoStream.toJson(id, "roles-test", i, demo.next().values()));
    }
}
