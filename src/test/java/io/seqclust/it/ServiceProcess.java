package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** One packaged service process against a test's broker, and what a test asks of it over HTTP. */
final class ServiceProcess implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * {@code java -Xmx512m <settings> -jar …} on {@code port} against {@code bootstrap}, its state and log
     * under {@code work} by {@code name}.
     */
    static ServiceProcess launch(Path work, String name, String bootstrap, int port, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of("-Xmx512m",
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dquarkus.http.port=" + port,
                "-Dkafka-streams.state.dir=" + work.resolve("streams-" + name)));
        args.addAll(List.of(settings));
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(ServiceJar.command(args.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceProcess(p, port, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String uri(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri(path))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri(path))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/status").body());
    }

    void awaitReady() throws Exception {
        await("ready", () -> get("/q/health/ready").statusCode() == 200);
    }

    void awaitStatus(String what, Predicate<JsonNode> condition) throws Exception {
        await(what, () -> condition.test(status()));
    }

    /** Fails, naming the log, if the process exits or {@code condition} does not hold within {@link #TIMEOUT}. */
    void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the service exited with " + process.exitValue() + "; see its log " + log);
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
        fail("the service was not " + what + " within " + TIMEOUT + "; see its log " + log);
    }

    /** SIGTERM, and the wait for the process to end; false if it did not within a minute. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
