package io.seqclust.registry;

import io.quarkus.runtime.StartupEvent;
import io.seqclust.assignment.AssignmentWriter;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.RecordFraming;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry's part of the service, when {@code seqclust.registry.url} is set: at startup, before the topology
 * runs, seqclust's schemas are registered as the artifacts {@code <topic>-value} of their topics (or checked, with
 * {@code register=false}); the input's framing and the assignments' writer come from here. Without a registry,
 * plain JSON both ways.
 */
@ApplicationScoped
public class RegistryBeans {

    private static final Logger LOG = Logger.getLogger(RegistryBeans.class);

    /** A schema of {@code schemas/}, the topic whose values it describes, and the compatibility rule of its artifact. */
    record Registered(String resource, String topic, String compatibility) {
    }

    private final SeqclustConfig config;
    private final Optional<SchemaRegistry> registry;

    public RegistryBeans(SeqclustConfig config) {
        this.config = config;
        this.registry = config.registry().url().map(url -> config.registry().api() == SeqclustConfig.RegistryApi.confluent
                ? new ConfluentSchemaRegistry(url) : new ApicurioSchemaRegistry(url, config.registry().group()));
    }

    /**
     * Input topics FORWARD (a producer's new schema must write what seqclust's reads), the output BACKWARD (a new
     * assignment schema must read what the old one wrote, for consumers).
     */
    List<Registered> schemas() {
        SeqclustConfig.Topics t = config.topics();
        return List.of(new Registered("schemas/sequence.schema.json", t.sequences(), "FORWARD"),
                new Registered("schemas/audio.schema.json", t.audio(), "FORWARD"),
                new Registered("schemas/assignment.schema.json", t.assignments(), "BACKWARD"));
    }

    void onStart(@Observes @Priority(2) StartupEvent event) {
        if (registry.isEmpty()) {
            return;
        }
        SchemaRegistry r = registry.get();
        List<String> missing = new ArrayList<>();
        for (Registered s : schemas()) {
            String artifact = s.topic() + "-value";
            if (config.registry().register()) {
                r.register(artifact, read(s.resource()), s.compatibility());
            } else {
                r.differs(artifact, read(s.resource())).ifPresent(why -> missing.add(artifact + " (" + s.resource() + "): " + why));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("seqclust.registry.register=false, and the registry at " + r.url()
                    + " does not hold seqclust's schemas: " + String.join("; ", missing));
        }
        LOG.infof("schema registry %s (%s API): %s %s", r.url(), config.registry().api(),
                config.registry().register() ? "registered" : "checked", schemas().stream().map(s -> s.topic() + "-value").toList());
    }

    @Produces
    @Singleton
    RecordFraming framing() {
        return registry.<RecordFraming>map(RegistryFraming::new).orElse(RecordFraming.NONE);
    }

    @Produces
    @Singleton
    AssignmentWriter assignmentWriter() {
        return registry.map(SchemaRegistry::assignmentWriter).orElse(AssignmentWriter.JSON);
    }

    private static String read(String resource) {
        try (InputStream in = RegistryBeans.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
