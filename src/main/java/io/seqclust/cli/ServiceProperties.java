package io.seqclust.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The service's application.properties as written (literal values), for the offline commands, which run without
 * Quarkus: so that they run Kafka and log as the service does, from the settings defined there once.
 */
final class ServiceProperties {

    private ServiceProperties() {
    }

    /** Empty where the file is not on the class path. */
    static Properties load() {
        Properties p = new Properties();
        try (InputStream in = ServiceProperties.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
