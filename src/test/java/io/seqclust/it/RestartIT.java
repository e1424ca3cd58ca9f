package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqclust.demo.DemoStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restarts the packaged service mid-stream against the same broker, once gracefully (SIGTERM) and once
 * killed (SIGKILL), while a producer keeps sending: no assignment may be lost or duplicated, and the
 * training window must be rebuilt from the topic. Then, the stream stopped and the trainer idle, one more
 * graceful restart: it must train nothing and serve the same version.
 */
class RestartIT extends ProcessTest {


    @Test
    void restartsLoseAndDuplicateNothing() throws Exception {
        int port = ServiceProcess.freePort();
        int total = 3000;
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            DemoStream demo = new DemoStream(11, 2, 4, 20, 100, 0.2);
            ServiceProcess first = launch(port, "first");
            first.awaitStatus("topics created", s -> s.path("topics").path("seqclust.sequences").asBoolean());
            for (int i = 0; i < 300; i++) {
                send(kafka, demo, i);
            }
            kafka.flush();
            first.awaitReady();

            AtomicInteger sent = new AtomicInteger(300);
            Thread producer = new Thread(() -> {
                while (sent.get() < total) {
                    send(kafka, demo, sent.getAndIncrement());
                    if (sent.get() % 10 == 0) {
                        sleep(10);
                    }
                }
                kafka.flush();
            });
            producer.start();

            awaitSent(sent, 900);
            assertTrue(first.stop(), "the service stops within 60 s of SIGTERM"); // a graceful stop
            ServiceProcess second = launch(port, "second");
            second.awaitReady();
            // the window consumer re-reads the topic on its own, after or before readiness
            second.awaitStatus("rebuilding its window from the topic", s -> s.path("window").path("size").asInt() >= 900);

            awaitSent(sent, 1900);
            second.kill(); // SIGKILL: a crash mid-transaction
            ServiceProcess third = launch(port, "third");
            producer.join();
            third.awaitReady();

            List<ConsumerRecord<String, byte[]>> assigned = kafka.readUntil("seqclust.assignments", k -> k.startsWith("r-"),
                    l -> l.size() >= total, ServiceProcess.TIMEOUT, Duration.ofSeconds(3));
            Map<String, Long> perId = assigned.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            List<String> duplicated = perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertEquals(List.of(), duplicated, "duplicated assignments");
            assertEquals(total, perId.size(), "assigned ids (the rest were lost)");
            third.awaitStatus("holding every accepted record in its window", s -> s.path("window").path("size").asInt() >= total);
            assertEquals(total, third.status().path("window").path("size").asInt(), "the window holds every accepted record, once");

            // the stream has stopped: once the trainer is idle (nothing due), a graceful restart must train nothing
            third.awaitStatus("idle", s -> s.path("training").path("state").asText().equals("IDLE"));
            long served = third.status().path("model").path("version").asLong();
            long newest = newestPublished(kafka);
            assertEquals(served, newest, "the trainer serves the newest checkpoint");
            assertTrue(third.stop(), "the service stops within 60 s of SIGTERM");
            ServiceProcess fourth = launch(port, "fourth");
            fourth.awaitReady();
            fourth.awaitStatus("deciding on a rebuilt window", s -> s.path("training").path("state").asText().equals("IDLE"));
            Thread.sleep(5_000);
            JsonNode after = fourth.status();
            assertEquals("IDLE", after.path("training").path("state").asText(), after.toString());
            assertEquals(served, after.path("model").path("version").asLong(), "the restarted service serves the same version");
            assertEquals(newest, newestPublished(kafka), "and published no checkpoint");
            System.out.printf("restarts: v%d published while %d records streamed, served before and after the last restart%n",
                    served, total);
        }
    }

    private ServiceProcess launch(int port, String name) throws Exception {
        return launch(name, port,
                "-Dseqclust.training.min-records=200",
                // scheduled retrains may run while the stream flows (after 500 newer records, 5 s apart)
                "-Dseqclust.training.interval=5s");
    }

    /** The highest version on the models topic, from the header every checkpoint carries. */
    private static long newestPublished(TestKafka kafka) {
        return kafka.readUntil("seqclust.models", k -> true, l -> false, Duration.ofSeconds(5), Duration.ZERO).stream()
                .mapToLong(r -> Long.parseLong(TestKafka.header(r, "seqclust.model.version"))).max().orElse(0);
    }

    private static void send(TestKafka kafka, DemoStream demo, int i) {
        String id = "r-" + i;
        kafka.send("seqclust.sequences", id, DemoStream.toJson(id, "restart-test", i, demo.next().values()));
    }

    private static void awaitSent(AtomicInteger sent, int n) {
        while (sent.get() < n) {
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
