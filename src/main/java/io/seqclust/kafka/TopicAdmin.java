package io.seqclust.kafka;

import io.quarkus.runtime.StartupEvent;
import io.seqclust.config.SeqclustConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates seqclust's topics at startup when they are missing, so that Kafka Streams (and readiness)
 * need not wait for a producer to create them. Existing topics are left as they are.
 */
@ApplicationScoped
public class TopicAdmin {

    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    private final SeqclustConfig.Topics topics;
    private final KafkaClients clients;

    public TopicAdmin(SeqclustConfig config, KafkaClients clients) {
        this.topics = config.topics();
        this.clients = clients;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        createMissing();
    }

    public List<String> names() {
        return List.of(topics.sequences(), topics.audio(), topics.assignments(), topics.deadLetters(), topics.models());
    }

    /** Which of seqclust's topics exist now. */
    public Map<String, Boolean> existing() {
        try (Admin admin = Admin.create(clients.config("seqclust-admin"))) {
            Set<String> present = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Map<String, Boolean> out = new java.util.LinkedHashMap<>();
            for (String t : names()) {
                out.put(t, present.contains(t));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + clients.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    void createMissing() {
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : List.of(topics.sequences(), topics.audio(), topics.assignments(), topics.deadLetters())) {
            wanted.add(new NewTopic(t, topics.partitions(), topics.replicationFactor()));
        }
        // one partition: the served checkpoint is a single key, and compaction keeps its latest version
        wanted.add(new NewTopic(topics.models(), 1, topics.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(topics.modelsMaxBytes()))));
        try (Admin admin = Admin.create(clients.config("seqclust-admin"))) {
            Set<String> present = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !present.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    LOG.infof("created topic %s", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + clients.bootstrapServers() + " to create topics: " + e.getMessage(), e);
        }
    }
}
