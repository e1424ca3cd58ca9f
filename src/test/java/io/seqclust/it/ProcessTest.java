package io.seqclust.it;

import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test of packaged service processes against a broker of its own: the broker is started once per test
 * class, in a fresh directory that also holds the processes' logs; processes a test launches through
 * {@link #launch} are killed after it.
 */
abstract class ProcessTest {

    static EmbeddedKafkaBroker broker;
    static Path work;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory("seqclust-it");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
    }

    /** The processes' logs stay in {@code work}. */
    @AfterAll
    static void stopBroker() {
        broker.close();
        ServiceJar.deleteData(work);
    }

    @AfterEach
    void killProcesses() {
        processes.forEach(ServiceProcess::close);
    }

    /** A service process against this class's broker, named {@code name} (its log: {@code work/<name>.log}). */
    ServiceProcess launch(String name, int port, String... settings) throws Exception {
        ServiceProcess p = ServiceProcess.launch(work, name, broker.bootstrapServers(), port, settings);
        processes.add(p);
        return p;
    }
}
