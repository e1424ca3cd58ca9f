package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.ingest.Sequence;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    @Test
    void recordsFollowWhenFetchedOnesWaitInStreamsOrTheBrokerHadMore() {
        assertTrue(InputPositions.follows(9, 12, OptionalLong.of(0)), "two fetched records wait in Streams");
        assertTrue(InputPositions.follows(9, 10, OptionalLong.of(3)), "three more on the broker");
        assertTrue(InputPositions.follows(9, 12, OptionalLong.empty()), "fetched, though no fetch has told the lag yet");
        assertFalse(InputPositions.follows(9, 10, OptionalLong.of(0)), "the last one");
        assertFalse(InputPositions.follows(9, 10, OptionalLong.empty()), "not known");
    }

    /**
     * On a real broker, a record that nothing follows is assigned at once, though its batch could wait a minute
     * for 15 more. Only the stream thread's consumer can tell that none is coming: with Kafka Streams' own
     * supplier (checked by hand, passing none to {@code KafkaStreams}) the record waits the minute and the
     * reads below fail.
     */
    @Test
    void aRecordThatNothingFollowsIsAssignedWithoutWaitingForItsBatch(@TempDir Path dir) throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.start(new AssignmentEngine(new SequenceParser(AssignTopologyTest.LIMITS)), new Batching(16, Duration.ofMinutes(1)));
            for (String id : List.of("first", "second")) {
                f.send(id);
                assertEquals(id, Assignment.fromJson(next(f.assignments).value()).id(), "assigned well within the minute its batch could wait");
            }
        }
    }

    /**
     * A backlog read with two threads: its full batches are assigned on a helper thread while the stream thread
     * reads on, and each record comes out once, in order; a batch whose records are known to follow waits for them
     * rather than go out short when the stream thread's own pauses make it look as if it had waited (each batch's
     * pass here takes 3 ms, longer than the 2 ms wait). Checked to fail: with the batches kept on the stream thread
     * no pass runs on a helper, and without the wait for following records most batches go out short.
     */
    @Test
    void aBacklogsBatchesAreAssignedOnAHelperInOrderAndFull(@TempDir Path dir) throws Exception {
        Set<String> passThreads = ConcurrentHashMap.newKeySet();
        AssignmentEngine slow = new AssignmentEngine(new SequenceParser(AssignTopologyTest.LIMITS)) {
            @Override
            public List<Assignment> assignAll(List<Sequence> sequences, LoadedModel model, long[] timestamps) {
                passThreads.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.assignAll(sequences, model, timestamps);
            }
        };
        try (Fixture f = new Fixture(dir)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                ids.add("r-" + i);
                f.send("r-" + i);
            }
            f.start(slow, new Batching(4, Duration.ofMillis(2), 2));
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < ids.size() && System.nanoTime() < deadline) {
                f.assignments.poll(Duration.ofMillis(200)).forEach(r -> out.add(Assignment.fromJson(r.value()).id()));
            }
            assertEquals(ids, out, "every record once, in order");
            assertTrue(passThreads.contains("seqclust-assign-helper"), "passes ran on " + passThreads);
            double full = f.batches("full");
            double waited = f.batches("waited");
            assertTrue(waited <= 0.1 * full, full + " full batches, " + waited + " short ones that waited");
        }
    }

    /** A broker with the topology's topics and a model, a producer, a read-committed reader of the assignments and a topology to start. */
    private static final class Fixture implements AutoCloseable {

        private final Path dir;
        private final EmbeddedKafkaBroker broker;
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> assignments;
        private final DemoStream demo = new DemoStream(8, 2, 4, 20, 60, 0.2);
        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private KafkaStreams streams;

        Fixture(Path dir) throws Exception {
            this.dir = dir;
            broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of("seq", "asg", "dlq", "models").stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
                        .all().get(60, TimeUnit.SECONDS);
            }
            List<double[][]> window = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                window.add(demo.next().values());
            }
            Assigner trained = new KMeansAvg(new KMeansAvg.Settings(3, 50), 4).fit(window, 1, TrainingProgress.NONE).assigner();
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                    new ByteArraySerializer());
            producer.send(new ProducerRecord<>("models", Checkpoint.TOPIC_KEY.getBytes(StandardCharsets.UTF_8),
                    new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 100, new int[] {0, 1, 2, 3}, trained.payload()).toBytes())).get();
            assignments = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            assignments.assign(List.of(new TopicPartition("asg", 0)));
        }

        /** Starts the topology, exactly-once, and waits until it runs (the models' global store read: the model is there before a record). */
        void start(AssignmentEngine engine, Batching batching) throws Exception {
            InputPositions positions = new InputPositions();
            SeqclustMetrics metrics = new SeqclustMetrics(registry, "seq");
            ModelCatalog catalog = new ModelCatalog(metrics, OptionalInt.empty(), AssignTopologyTest.LIMITS.dims(), java.util.Optional.empty());
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "input-positions-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            streams = new KafkaStreams(TopologyProducer.build(AssignTopologyTest.TOPICS, engine, catalog, metrics, batching,
                    AssignmentWriter.JSON, positions), p, positions);
            streams.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertSame(KafkaStreams.State.RUNNING, streams.state());
        }

        void send(String id) throws Exception {
            producer.send(new ProducerRecord<>("seq", id.getBytes(StandardCharsets.UTF_8),
                    DemoStream.toJson(id, "test", 1L, demo.next().values()).getBytes(StandardCharsets.UTF_8))).get();
        }

        double batches(String trigger) {
            var counter = registry.find("seqclust.assignment.batches").tag("trigger", trigger).counter();
            return counter == null ? 0 : counter.count();
        }

        @Override
        public void close() throws Exception {
            if (streams != null) {
                streams.close(Duration.ofSeconds(30));
            }
            assignments.close();
            producer.close();
            broker.close();
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
