package io.seqclust.it;

import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stop is bounded even with the broker gone: Kafka's clients alone would keep the process alive for
 * minutes (measured: more than 200 s) waiting for it.
 */
class ShutdownIT {

    @Test
    void aStopWithTheBrokerDownEndsWithinTheShutdownTimeout() throws Exception {
        Path work = Files.createTempDirectory("seqclust-shutdown");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("service.log");
        Process p = new ProcessBuilder(ServiceJar.command("-Xmx512m",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dkafka-streams.state.dir=" + work.resolve("streams"),
                "-Dquarkus.http.port=" + port,
                "-Dseqclust.demo.enabled=true",
                "-Dseqclust.model.name=kmeans-avg",
                "-Dseqclust.shutdown-timeout=10s"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!ready(http, port)) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    fail("the service did not become ready:\n" + Files.readString(log));
                }
                Thread.sleep(500);
            }
            Thread.sleep(3000); // records flowing: a transaction is open when the broker goes
            broker.close();
            long t0 = System.nanoTime();
            p.destroy();
            boolean ended = p.waitFor(90, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("stop with the broker down took %.1f s (seqclust.shutdown-timeout = 10 s)%n", seconds);
            assertTrue(ended, "the service still runs 90 s after SIGTERM:\n" + Files.readString(log));
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            broker.close();
            ServiceJar.deleteData(work);
        }
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
