package io.seqclust.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port taken by another process is said plainly, and a start that failed on one leaves nothing behind. */
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void aFixedPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = listening()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(dir.resolve("kafka"), taken.getLocalPort()));
            assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is in use", e.getMessage());
        }
    }

    @Test
    void aStartThatLostItsPortReleasesEverythingAndTheNextOneServes() throws Exception {
        Path data = dir.resolve("kafka");
        try (ServerSocket taken = listening(); ServerSocket free = listening()) {
            int clientPort = free.getLocalPort();
            free.close();
            // the controller's port was taken between being found free and being bound
            assertThrows(RuntimeException.class,
                    () -> EmbeddedKafkaBroker.start(data, clientPort, taken.getLocalPort(), java.util.Optional.empty()));
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertTrue(admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size() == 1, "one node serves");
        }
    }

    private static ServerSocket listening() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }
}
