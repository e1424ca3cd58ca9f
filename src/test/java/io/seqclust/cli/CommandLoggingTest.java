package io.seqclust.cli;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLoggingTest {

    /** The offline commands take the service's levels: Kafka's clients no longer format TRACE and DEBUG messages. */
    @Test
    void theOfflineCommandsLogAtTheServicesLevels() {
        // as the launcher finds them without Quarkus: every logger at ALL
        for (String name : new String[] {"", "org.apache.kafka", "kafka", "io.seqclust"}) {
            java.util.logging.Logger.getLogger(name).setLevel(Level.ALL);
        }
        org.slf4j.Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");
        assertTrue(kafka.isTraceEnabled());
        CommandLogging.configure();
        assertFalse(kafka.isTraceEnabled());
        assertFalse(kafka.isDebugEnabled());
        assertFalse(kafka.isInfoEnabled(), "org.apache.kafka is at WARN in application.properties");
        assertTrue(kafka.isWarnEnabled());
        assertFalse(LoggerFactory.getLogger("kafka.network.RequestChannel$").isDebugEnabled());
        org.slf4j.Logger ours = LoggerFactory.getLogger("io.seqclust.cli.Example");
        assertTrue(ours.isInfoEnabled());
        assertFalse(ours.isDebugEnabled());
    }

    @Test
    void quarkusLevelNamesMapToJavaLoggingLevels() {
        assertEquals(Level.WARNING, CommandLogging.level("WARN"));
        assertEquals(Level.FINE, CommandLogging.level("debug"));
        assertEquals(Level.FINEST, CommandLogging.level("TRACE"));
        assertEquals(Level.SEVERE, CommandLogging.level("ERROR"));
        assertThrows(IllegalArgumentException.class, () -> CommandLogging.level("LOUD"));
    }
}
