package io.seqclust.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logging for the offline commands, which run without Quarkus and so without its logging setup: the service's
 * levels ({@code quarkus.log.level} and each {@code quarkus.log.category."…".level} of application.properties,
 * so that they are defined once) and warnings and errors on standard error. Without it every logger stood at
 * ALL and nothing printed: the broker and the Kafka clients of {@code bench --online} formatted their TRACE and
 * DEBUG messages for nobody (6 % of the process' allocations and the identity's largest share, JDK Flight
 * Recorder), a cost the service does not pay, and their warnings were lost.
 */
final class CommandLogging {

    private static final Pattern CATEGORY = Pattern.compile("quarkus\\.log\\.category\\.\"([^\"]+)\"\\.level");
    /** Held: a logger's level lasts only while the logger is reachable. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();
    private static boolean handlerAdded;

    private CommandLogging() {
    }

    /** Sets the levels (again, on each call) and adds the standard error handler (once). */
    static synchronized void configure() {
        if (!handlerAdded) {
            handlerAdded = true;
            Handler stderr = new StreamHandler(System.err, new OneLine()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            stderr.setLevel(Level.WARNING);
            Logger.getLogger("").addHandler(stderr);
        }
        CONFIGURED.clear();
        CONFIGURED.addAll(applyLevels(ServiceProperties.load(), Logger::getLogger));
    }

    /**
     * Sets the root's level ({@code quarkus.log.level}, INFO by default) and each category's of {@code service} on the
     * loggers that {@code logger} gives by name.
     *
     * @return the loggers set, to be held
     */
    static List<Logger> applyLevels(Properties service, Function<String, Logger> logger) {
        List<Logger> set = new ArrayList<>();
        Logger root = logger.apply("");
        root.setLevel(level(service.getProperty("quarkus.log.level", "INFO")));
        set.add(root);
        for (String key : service.stringPropertyNames()) {
            Matcher category = CATEGORY.matcher(key);
            if (category.matches()) {
                Logger named = logger.apply(category.group(1));
                named.setLevel(level(service.getProperty(key)));
                set.add(named);
            }
        }
        return set;
    }

    /** Quarkus' level names (JBoss Logging's) as java.util.logging levels. */
    static Level level(String name) {
        return switch (name.trim().toUpperCase()) {
            case "FATAL", "ERROR", "SEVERE" -> Level.SEVERE;
            case "WARN", "WARNING" -> Level.WARNING;
            case "INFO" -> Level.INFO;
            case "DEBUG", "FINE", "CONFIG" -> Level.FINE;
            case "TRACE", "FINER", "FINEST" -> Level.FINEST;
            case "ALL" -> Level.ALL;
            case "OFF" -> Level.OFF;
            default -> throw new IllegalArgumentException("unknown log level " + name);
        };
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String line = "seqclust: " + record.getLevel().getName() + " [" + record.getLoggerName() + "] " + formatMessage(record)
                    + System.lineSeparator();
            if (record.getThrown() != null) {
                line += record.getThrown() + System.lineSeparator();
            }
            return line;
        }
    }
}
