package io.seqclust;

import io.quarkus.runtime.Startup;
import io.seqclust.config.SeqclustConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Bounds a stop: with the broker unreachable, Kafka Streams' last commit and the consumers' coordinator
 * lookups each block for minutes, and their threads keep the JVM alive. When the JVM starts shutting down,
 * a daemon timer starts; if the shutdown has not ended after {@code seqclust.shutdown-timeout}, it halts the
 * process. Exactly-once makes that safe: an open transaction is aborted and its records processed again.
 */
@Startup
@ApplicationScoped
public class ShutdownWatchdog {

    public ShutdownWatchdog(SeqclustConfig config) {
        Duration timeout = config.shutdownTimeout();
        // a hook that only starts a daemon timer: the JVM waits for hooks, never for daemon threads
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread timer = new Thread(() -> {
                try {
                    Thread.sleep(timeout.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                // logging may be shut down already: standard error is what is left
                System.err.println("seqclust: the stop did not finish within seqclust.shutdown-timeout = " + timeout
                        + " (is the Kafka broker reachable?); halting");
                Runtime.getRuntime().halt(1);
            }, "seqclust-shutdown-watchdog");
            timer.setDaemon(true);
            timer.start();
        }, "seqclust-shutdown-watchdog-start"));
    }
}
