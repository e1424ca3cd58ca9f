package io.seqclust.kafka;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.config.SeqclustConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes checkpoints on the models topic. Reading it back is the assignment topology's job (its global
 * store feeds the {@code ModelCatalog}), so that every process restores each checkpoint once.
 */
@ApplicationScoped
public class ModelPublisher {

    private final String topic;
    private final KafkaClients clients;
    private final int maxBytes;
    private KafkaProducer<String, byte[]> producer;

    public ModelPublisher(SeqclustConfig config, KafkaClients clients) {
        this.topic = config.topics().models();
        this.maxBytes = config.topics().modelsMaxBytes();
        this.clients = clients;
    }

    /**
     * Sends a checkpoint and waits until the broker has it.
     *
     * @param bytes     the checkpoint, encoded
     * @param signature its {@value CheckpointSignature#HEADER} header, when checkpoints are signed
     */
    public synchronized void publish(long version, byte[] bytes, Optional<String> signature) {
        if (producer == null) {
            Map<String, Object> c = clients.config("seqclust-model-publisher");
            c.put(ProducerConfig.ACKS_CONFIG, "all");
            c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBytes);
            producer = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, Checkpoint.TOPIC_KEY, bytes);
            record.headers().add(Checkpoint.VERSION_HEADER, Long.toString(version).getBytes(StandardCharsets.US_ASCII));
            signature.ifPresent(s -> record.headers().add(CheckpointSignature.HEADER, s.getBytes(StandardCharsets.US_ASCII)));
            producer.send(record).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing checkpoint v" + version, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing checkpoint v" + version + " to " + topic + " failed: "
                    + e.getMessage(), e);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
