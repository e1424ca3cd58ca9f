package io.seqclust;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.seqclust.cli.Cli;
import io.seqclust.kafka.EmbeddedKafkaBroker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Entry point. With no broker configured ({@code kafka.bootstrap.servers} / {@code KAFKA_BOOTSTRAP_SERVERS})
 * it starts Kafka's own broker in-process before Quarkus, so that every Kafka client Quarkus creates
 * already has an address, and closes it only after Quarkus has stopped.
 */
@QuarkusMain
public final class Main {

    public static void main(String... args) {
        if (args.length > 0 && Cli.handles(args[0])) {
            System.exit(Cli.run(args));
            return;
        }
        if (setting("kafka.bootstrap.servers") != null) {
            System.exit(runQuarkus(args));
            return;
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(
                    Path.of(settingOr("seqclust.broker.data-dir", "data/kafka")),
                    Integer.parseInt(settingOr("seqclust.broker.port", "9092")));
        } catch (RuntimeException e) {
            // said on standard error: logging is not set up before Quarkus starts, and its queue is lost on exit
            System.err.println("seqclust did not start: could not start the embedded Kafka broker: " + e.getMessage()
                    + "\nset seqclust.broker.port to a free port (0 picks one) or point kafka.bootstrap.servers "
                    + "at a running broker");
            System.exit(1);
            return;
        }
        System.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
        System.setProperty("seqclust.broker.embedded", "true");
        if (setting("seqclust.demo.enabled") == null) {
            System.setProperty("seqclust.demo.enabled", "true");
        }
        // On SIGTERM the JVM runs Quarkus' shutdown hook and ours together: ours waits for Quarkus to
        // stop (its Kafka clients commit and close) before the broker goes away under them.
        CountDownLatch quarkusStopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                quarkusStopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            broker.close();
        }, "seqclust-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int exitCode;
        try {
            exitCode = runQuarkus(args);
        } finally {
            quarkusStopped.countDown();
            broker.close();
        }
        System.exit(exitCode);
    }

    /**
     * Runs the service until it stops; returns its exit code. A failed start (a bad setting, say) is also
     * said on standard error: before Quarkus has set up logging, its own report can be lost behind the
     * embedded broker's start-up lines.
     */
    private static int runQuarkus(String... args) {
        int[] exitCode = {0};
        Quarkus.run(null, (code, failure) -> {
            exitCode[0] = code;
            if (failure != null) {
                Throwable cause = failure;
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                System.err.println("seqclust did not start: " + cause.getMessage());
            }
        }, args);
        return exitCode[0];
    }

    /** A setting as a system property or, in MicroProfile's environment spelling, an environment variable. */
    static String setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String settingOr(String key, String fallback) {
        String value = setting(key);
        return value == null ? fallback : value;
    }
}
