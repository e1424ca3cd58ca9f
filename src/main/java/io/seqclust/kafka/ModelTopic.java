package io.seqclust.kafka;

import io.seqclust.assignment.TopologyProducer;
import io.seqclust.clustering.Checkpoint;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.clustering.Models;
import io.seqclust.config.SeqclustConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The trainer's and the API's view of the models topic: publishes checkpoints and reads them back
 * to the end of the topic, so the next version number and the model to align with are never stale.
 */
@ApplicationScoped
public class ModelTopic {

    private static final Logger LOG = Logger.getLogger(ModelTopic.class);
    private static final int HISTORY = 50;

    /** A published checkpoint, without its weights. */
    public record Summary(String model, long version, long createdAt, int k, int dims, int windowSize) {
        public static Summary of(Checkpoint c) {
            return new Summary(c.model(), c.version(), c.createdAt(), c.k(), c.dims(), c.windowSize());
        }
    }

    private final String topic;
    private final KafkaClients clients;
    private final int maxBytes;
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private LoadedModel latest;
    private final Deque<Summary> history = new ArrayDeque<>();

    public ModelTopic(SeqclustConfig config, KafkaClients clients) {
        this.topic = config.topics().models();
        this.maxBytes = config.topics().modelsMaxBytes();
        this.clients = clients;
    }

    /** Sends a checkpoint and waits until the broker has it. */
    public synchronized void publish(Checkpoint checkpoint) {
        if (producer == null) {
            Map<String, Object> c = clients.config("seqclust-model-publisher");
            c.put(ProducerConfig.ACKS_CONFIG, "all");
            c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBytes);
            producer = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, TopologyProducer.MODEL_KEY, checkpoint.toBytes())).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing checkpoint v" + checkpoint.version(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("publishing checkpoint v" + checkpoint.version() + " to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    /** The latest valid checkpoint on the topic, read to its end; null if there is none. */
    public synchronized LoadedModel latest() {
        catchUp();
        return latest;
    }

    /** Checkpoints seen on the topic, newest first (compaction may have removed older ones). */
    public synchronized List<Summary> history() {
        catchUp();
        List<Summary> out = new ArrayList<>(history);
        java.util.Collections.reverse(out);
        return out;
    }

    private void catchUp() {
        if (consumer == null) {
            Map<String, Object> c = clients.config("seqclust-model-reader");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        }
        if (consumer.assignment().isEmpty()) {
            // the topic may be created after this service started (by an operator, say): look again each time
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the models topic " + topic + " to its end within 60 s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                accept(r);
            }
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (!TopologyProducer.MODEL_KEY.equals(r.key()) || r.value() == null) {
            return;
        }
        try {
            LoadedModel model = Models.load(Checkpoint.fromBytes(r.value()));
            latest = model;
            history.addLast(Summary.of(model.checkpoint()));
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        } catch (RuntimeException e) {
            LOG.warnf("skipping an invalid checkpoint at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
