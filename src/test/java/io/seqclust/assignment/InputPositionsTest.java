package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputPositionsTest {

    @Test
    void aRecordIsLastOnlyWhenNothingWaitsInStreamsAndTheBrokerHadNothingMore() {
        assertTrue(InputPositions.isLast(9, 10, OptionalLong.of(0)));
        assertFalse(InputPositions.isLast(9, 12, OptionalLong.of(0)), "two fetched records wait in Streams");
        assertFalse(InputPositions.isLast(9, 10, OptionalLong.of(3)), "three more on the broker");
        assertFalse(InputPositions.isLast(9, 10, OptionalLong.empty()), "no fetch has told the lag yet");
    }

    @Test
    void aStreamThreadFindsItsMainConsumerAndNoOther() {
        InputPositions positions = new InputPositions();
        String thread = Thread.currentThread().getName();
        try (Consumer<byte[], byte[]> restore = positions.getRestoreConsumer(config(thread + "-restore-consumer"))) {
            assertTrue(positions.ofThisThread().isEmpty(), "a restore consumer is not asked");
            try (Consumer<byte[], byte[]> main = positions.getConsumer(config(thread + "-consumer"))) {
                assertSame(main, positions.ofThisThread().orElseThrow());
            }
        }
    }

    /**
     * On a real broker, a record that nothing follows is assigned at once, though its batch could wait a minute
     * for 15 more. Only the stream thread's consumer can tell that none is coming: with Kafka Streams' own
     * supplier (checked by hand, passing none to {@code KafkaStreams}) the record waits the minute and the
     * reads below fail.
     */
    @Test
    void aRecordThatNothingFollowsIsAssignedWithoutWaitingForItsBatch(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of("seq", "asg", "dlq", "models").stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
                        .all().get(60, TimeUnit.SECONDS);
            }
            DemoStream demo = new DemoStream(8, 2, 4, 20, 60, 0.2);
            List<double[][]> window = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                window.add(demo.next().values());
            }
            Assigner trained = new KMeansAvg(new KMeansAvg.Settings(3, 50), 4).fit(window, 1, TrainingProgress.NONE).assigner();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("models", Checkpoint.TOPIC_KEY.getBytes(StandardCharsets.UTF_8),
                        new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 100, new int[] {0, 1, 2, 3}, trained.payload()).toBytes())).get();

                InputPositions positions = new InputPositions();
                SeqclustMetrics metrics = new SeqclustMetrics(new SimpleMeterRegistry(), "seq");
                AssignmentEngine engine = new AssignmentEngine(new SequenceParser(AssignTopologyTest.LIMITS));
                ModelCatalog catalog = new ModelCatalog(metrics, OptionalInt.empty(), AssignTopologyTest.LIMITS.dims(), java.util.Optional.empty());
                Properties p = new Properties();
                p.put(StreamsConfig.APPLICATION_ID_CONFIG, "input-positions-test");
                p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
                p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
                try (KafkaStreams streams = new KafkaStreams(TopologyProducer.build(AssignTopologyTest.TOPICS, engine, catalog, metrics,
                        new Batching(16, Duration.ofMinutes(1)), AssignmentWriter.JSON, positions), p, positions);
                     KafkaConsumer<byte[], byte[]> assignments = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                             ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    streams.start();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                        Thread.sleep(50); // RUNNING once the models' global store is read: the model is there before the record
                    }
                    assertSame(KafkaStreams.State.RUNNING, streams.state());
                    assignments.assign(List.of(new TopicPartition("asg", 0)));
                    for (String id : List.of("first", "second")) {
                        producer.send(new ProducerRecord<>("seq", id.getBytes(StandardCharsets.UTF_8),
                                DemoStream.toJson(id, "test", 1L, demo.next().values()).getBytes(StandardCharsets.UTF_8))).get();
                        assertEquals(id, Assignment.fromJson(next(assignments).value()).id(),
                                "assigned well within the minute its batch could wait");
                    }
                }
            }
        }
    }

    private static ConsumerRecord<byte[], byte[]> next(KafkaConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                assertEquals(1, records.count());
                return records.iterator().next();
            }
        }
        throw new AssertionError("no assignment within 30 s");
    }

    private static Map<String, Object> config(String clientId) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9", CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    }
}
