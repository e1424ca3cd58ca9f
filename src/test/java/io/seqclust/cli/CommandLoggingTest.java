package io.seqclust.cli;

import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLoggingTest {

    /**
     * The offline commands take the service's levels: Kafka's clients no longer format TRACE and DEBUG messages. On a
     * logging context of its own, so that the loggers of a service running in the same JVM are untouched.
     */
    @Test
    void theOfflineCommandsLogAtTheServicesLevels() {
        LogContext context = LogContext.create();
        // as the launcher finds them without Quarkus: every logger at ALL
        context.getLogger("").setLevel(Level.ALL);
        Logger kafka = context.getLogger("org.apache.kafka.clients.NetworkClient");
        assertTrue(kafka.isLoggable(Level.FINEST));
        List<Logger> held = CommandLogging.applyLevels(ServiceProperties.load(), context::getLogger);
        assertFalse(kafka.isLoggable(Level.FINEST));
        assertFalse(kafka.isLoggable(Level.FINE));
        assertFalse(kafka.isLoggable(Level.INFO), "org.apache.kafka is at WARN in application.properties");
        assertTrue(kafka.isLoggable(Level.WARNING));
        assertFalse(context.getLogger("kafka.network.RequestChannel$").isLoggable(Level.FINE));
        Logger ours = context.getLogger("io.seqclust.cli.Example");
        assertTrue(ours.isLoggable(Level.INFO));
        assertFalse(ours.isLoggable(Level.FINE));
        assertTrue(held.size() > 1);
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
