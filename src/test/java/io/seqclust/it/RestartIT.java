package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.demo.DemoStream;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Restarts the packaged service mid-stream against the same broker, once gracefully (SIGTERM) and once
 * killed (SIGKILL), while a producer keeps sending: no assignment may be lost or duplicated, and the
 * training window must be rebuilt from the topic.
 */
class RestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static EmbeddedKafkaBroker broker;
    private static Path work;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws IOException {
        work = Files.createTempDirectory("seqclust-restart");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void restartsLoseAndDuplicateNothing() throws Exception {
        int port = freePort();
        int total = 3000;
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            DemoStream demo = new DemoStream(11, 2, 4, 20, 100, 0.2);
            Process first = launch(port, "first");
            awaitStatus(port, first, "topics created", s -> s.path("topics").path("seqclust.sequences").asBoolean());
            for (int i = 0; i < 300; i++) {
                send(kafka, demo, i);
            }
            kafka.flush();
            awaitReady(port, first);

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
            first.destroy(); // SIGTERM: a graceful stop
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the service stops within 60 s of SIGTERM");
            Process second = launch(port, "second");
            awaitReady(port, second);
            // the window consumer re-reads the topic on its own, after or before readiness
            awaitStatus(port, second, "rebuilding its window from the topic", s -> s.path("window").path("size").asInt() >= 900);

            awaitSent(sent, 1900);
            second.destroyForcibly(); // SIGKILL: a crash mid-transaction
            second.waitFor(30, TimeUnit.SECONDS);
            Process third = launch(port, "third");
            producer.join();
            awaitReady(port, third);

            List<ConsumerRecord<String, byte[]>> assigned = kafka.readUntil("seqclust.assignments", k -> k.startsWith("r-"),
                    l -> l.size() >= total, TIMEOUT, Duration.ofSeconds(3));
            Map<String, Long> perId = assigned.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            List<String> duplicated = perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertEquals(List.of(), duplicated, "duplicated assignments");
            assertEquals(total, perId.size(), "assigned ids (the rest were lost)");
            awaitStatus(port, third, "holding every accepted record in its window",
                    s -> s.path("window").path("size").asInt() >= total);
            assertEquals(total, windowSize(port), "the window holds every accepted record, once");
            // the restarted processes found the model on the topic (restored by the topology) and trained none
            assertEquals(1, kafka.readUntil("seqclust.models", k -> true, l -> l.size() > 1, Duration.ofSeconds(10),
                    Duration.ofSeconds(3)).size(), "checkpoints on the models topic");
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
        }
    }

    private Process launch(int port, String name) throws IOException {
        Process p = new ProcessBuilder(ServiceJar.command(
                "-Xmx512m",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dquarkus.http.port=" + port,
                "-Dkafka-streams.state.dir=" + work.resolve("streams-" + name),
                "-Dseqclust.training.min-records=200",
                "-Dseqclust.training.min-new-records=1000000000"))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private void awaitReady(int port, Process p) throws Exception {
        await(p, "ready", () -> get(port, "/q/health/ready").statusCode() == 200);
    }

    private void awaitStatus(int port, Process p, String what, Predicate<JsonNode> condition) throws Exception {
        await(p, what, () -> condition.test(status(port)));
    }

    private void await(Process p, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the service exited with " + p.exitValue() + "; see the logs in " + work);
            }
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException notYetListening) {
                // starting
            }
            Thread.sleep(250);
        }
        fail("the service was not " + what + " within " + TIMEOUT + "; see the logs in " + work);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status(int port) throws IOException, InterruptedException {
        return new ObjectMapper().readTree(get(port, "/api/status").body());
    }

    private int windowSize(int port) throws Exception {
        return status(port).path("window").path("size").asInt();
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
