package io.seqclust.assignment;

import jakarta.inject.Singleton;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each stream thread's consumer knows of its input, so that a micro-batch is not held for records that
 * are not there: Kafka Streams' clients, made as its default supplier makes them, with each thread's main consumer kept to
 * ask, on that thread, whether a record is the last one the consumer has fetched and the last one the broker
 * had. A light load then gets each record assigned as it comes, and a backlog still fills its batches.
 *
 * <p>The consumer is found by the client id Kafka Streams gives a thread's consumer, its thread's name and
 * {@code -consumer}. Where none is found (another supplier, a test driver) nothing is known, and a batch waits
 * its {@code batch-wait} as it would without this. A thread that Streams replaces leaves its closed consumer
 * here: a few per failure over a process's life.
 */
@Singleton
public class InputPositions implements KafkaClientSupplier {

    private static final String CONSUMER_SUFFIX = "-consumer";

    private final Map<String, Consumer<byte[], byte[]>> mainConsumers = new ConcurrentHashMap<>();

    /**
     * Whether nothing follows {@code record} in its partition: neither fetched by the consumer of the calling
     * stream thread and waiting in Streams, nor known to be on the broker at its last fetch. False where that
     * is not known.
     *
     * @param consumer the calling stream thread's consumer ({@link #ofThisThread()})
     */
    public static boolean isLast(Consumer<byte[], byte[]> consumer, RecordMetadata record) {
        return ask(consumer, record.topic(), record.partition(), record.offset(), InputPositions::isLast);
    }

    /**
     * Whether records are known to follow the record at {@code offset} of the partition: fetched by the calling
     * stream thread's consumer and waiting in Streams, or on the broker at its last fetch. False where that is not
     * known (and for a record that {@link #isLast} is the last).
     */
    public static boolean follows(Consumer<byte[], byte[]> consumer, String topic, int partition, long offset) {
        return ask(consumer, topic, partition, offset, InputPositions::follows);
    }

    /** A rule over a record's offset, its consumer's position and the partition's lag (see {@link #isLast(long, long, OptionalLong)}). */
    private interface PositionRule {
        boolean test(long offset, long position, OptionalLong lag);
    }

    private static boolean ask(Consumer<byte[], byte[]> consumer, String topic, int partition, long offset, PositionRule rule) {
        TopicPartition p = new TopicPartition(topic, partition);
        try {
            return rule.test(offset, consumer.position(p, Duration.ZERO), consumer.currentLag(p));
        } catch (RuntimeException e) {
            return false; // a hint only: a partition being revoked, say, waits as before
        }
    }

    /**
     * @param offset   the record's
     * @param position the next offset the consumer returns: records between the two wait in Streams
     * @param lag      the broker's end (the last stable offset, read committed) less the position, as of the last
     *                 fetch; empty where none has told it
     */
    static boolean isLast(long offset, long position, OptionalLong lag) {
        return lag.isPresent() && lag.getAsLong() == 0 && offset + 1 == position;
    }

    /** @see #isLast(long, long, OptionalLong) */
    static boolean follows(long offset, long position, OptionalLong lag) {
        return position > offset + 1 || lag.isPresent() && lag.getAsLong() > 0;
    }

    /** The calling stream thread's main consumer, if this supplier made it; call it on that thread. */
    public Optional<Consumer<byte[], byte[]>> ofThisThread() {
        return Optional.ofNullable(mainConsumers.get(Thread.currentThread().getName() + CONSUMER_SUFFIX));
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = consumer(config);
        Object clientId = config.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        if (clientId instanceof String id && id.endsWith(CONSUMER_SUFFIX)) {
            mainConsumers.put(id, consumer);
        }
        return consumer;
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
