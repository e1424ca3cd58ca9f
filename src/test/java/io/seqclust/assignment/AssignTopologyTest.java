package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.demo.DemoStream;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.model.train.TrainingProgress;
import io.seqclust.metrics.SeqclustMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignTopologyTest {

    static final SeqclustConfig.Topics TOPICS = new TestTopics();

    /** A named class: Quarkus' method validation must be able to look at it (an anonymous one fails the build). */
    static class TestTopics implements SeqclustConfig.Topics {
        public String sequences() { return "seq"; }
        public String assignments() { return "asg"; }
        public String deadLetters() { return "dlq"; }
        public String models() { return "models"; }
        public String audio() { return "audio"; }
        public int partitions() { return 1; }
        public short replicationFactor() { return 1; }
        public int modelsMaxBytes() { return 1 << 20; }
    }

    /** Records of at most 8 KiB, 256 bytes of input headers carried. */
    static final InputLimits LIMITS = new InputLimits(8192, 1000, 100, 64, 1e12, 8, 256);

    private final DemoStream demo = new DemoStream(8, 2, 4, 20, 60, 0.2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SeqclustMetrics metrics = new SeqclustMetrics(registry, "seq");
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> sequences;
    private TestInputTopic<String, byte[]> models;
    private TestOutputTopic<byte[], byte[]> assignments;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private Assigner trained;

    @BeforeEach
    void start() {
        startDriver(new AssignmentEngine(new SequenceParser(LIMITS)), Batching.NONE, java.util.Optional.empty());
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            window.add(demo.next().values());
        }
        trained = new KMeansAvg(new KMeansAvg.Settings(3, 50), 4).fit(window, 1, TrainingProgress.NONE).assigner();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void startDriver(AssignmentEngine engine, Batching batching,
                             java.util.Optional<io.seqclust.checkpoint.CheckpointSignature> key) {
        if (driver != null) {
            driver.close();
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(TopologyProducer.build(TOPICS, engine,
                new ModelCatalog(metrics, java.util.OptionalInt.empty(), LIMITS.dims(), key), metrics, batching), props);
        sequences = driver.createInputTopic("seq", new ByteArraySerializer(), new ByteArraySerializer());
        models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
        assignments = driver.createOutputTopic("asg", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A full micro-batch, a bad record among its valid ones, is parsed and assigned at once, in arrival order,
     * each valid record as it would be on its own and the bad one dead-lettered with the batch: on the stream
     * thread alone, and split over three threads (three chunks of four).
     */
    @ParameterizedTest(name = "batch of {0}, {1} thread(s)")
    @CsvSource({"4, 1", "12, 3"})
    void aFullMicroBatchIsAssignedAtOnceInArrivalOrder(int size, int threads) {
        startDriver(new AssignmentEngine(new SequenceParser(LIMITS)), new Batching(size, Duration.ofHours(1), threads),
                java.util.Optional.empty());
        publish(1, new int[] {0, 1, 2, 3});
        List<double[][]> sent = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int valid = size - 1; // and the bad one
        for (int i = 0; i < valid; i++) {
            if (i == 1) {
                sequences.pipeInput("bad".getBytes(), "{oops".getBytes());
            }
            if (i == valid - 1) {
                assertTrue(assignments.isEmpty() && deadLetters.isEmpty(), "a record short of a full batch");
                assertEquals(0, registry.get("seqclust.records.pending").gauge().value(),
                        "a record held for its batch waits for no model");
            }
            sent.add(demo.next().values());
            ids.add("r-" + i);
            send("r-" + i, sent.get(i));
        }
        assertEquals("BAD_JSON", header(deadLetters.readRecord().headers(), "seqclust.error.code"));
        assertTrue(deadLetters.isEmpty());
        List<Assignment> out = assignments.readValuesToList().stream().map(Assignment::fromJson).toList();
        assertEquals(ids, out.stream().map(Assignment::id).toList());
        for (int i = 0; i < valid; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(trained.probabilities(sent.get(i)), out.get(i).probabilities(), 1e-6);
        }
    }

    /** A batch that does not fill is assigned once its oldest record has waited batch-wait, not before. */
    @Test
    void aPartlyFilledMicroBatchIsAssignedOnceItsOldestRecordHasWaited() {
        startDriver(new AssignmentEngine(new SequenceParser(LIMITS)), new Batching(16, Duration.ofMillis(50)), java.util.Optional.empty());
        publish(1, new int[] {0, 1, 2, 3});
        send("a", 2);
        send("b", 2);
        driver.advanceWallClockTime(Duration.ofMillis(25));
        assertTrue(assignments.isEmpty());
        driver.advanceWallClockTime(Duration.ofMillis(30));
        assertEquals(List.of("a", "b"), assignments.readValuesToList().stream().map(v -> Assignment.fromJson(v).id()).toList());
    }

    @Test
    void validRecordsWaitForTheFirstModelThenAreAssignedInOrder() {
        for (int i = 0; i < 5; i++) {
            send("early-" + i, 2);
        }
        sequences.pipeInput("bad".getBytes(), "{oops".getBytes());
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(assignments.isEmpty(), "nothing is assigned without a model");
        assertEquals(5, registry.get("seqclust.records.pending").gauge().value());
        assertEquals("BAD_JSON", header(deadLetters.readRecord().headers(), "seqclust.error.code"));

        publish(1, new int[] {0, 1, 2, 3});
        driver.advanceWallClockTime(Duration.ofMillis(300));
        send("late", 2);
        List<Assignment> out = assignments.readValuesToList().stream().map(Assignment::fromJson).toList();
        assertEquals(List.of("early-0", "early-1", "early-2", "early-3", "early-4", "late"),
                out.stream().map(Assignment::id).toList());
        assertTrue(out.stream().allMatch(a -> a.modelVersion() == 1 && a.probabilities().length == 4));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aBacklogLongerThanOneDrainIsAssignedInBatchesInArrivalOrder() {
        int held = 2 * AssignProcessor.DRAIN_BATCH + 50;
        for (int i = 0; i < held; i++) {
            send("early-" + i, 2);
        }
        publish(1, new int[] {0, 1, 2, 3});
        send("late", 2);
        assertEquals(AssignProcessor.DRAIN_BATCH, assignments.getQueueSize(), "one batch per call, not the whole backlog");
        for (int i = 0; i < 3; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(300));
        }
        List<String> ids = assignments.readValuesToList().stream().map(v -> Assignment.fromJson(v).id()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            expected.add("early-" + i);
        }
        expected.add("late");
        assertEquals(expected, ids);
    }

    @Test
    void aNewCheckpointIsServedFromTheNextRecordWithoutLossOrRepeat() {
        publish(1, new int[] {0, 1, 2, 3});
        double[][] probe = demo.generate(1, 40);
        send("a", probe);
        publish(2, new int[] {3, 2, 1, 0});
        send("b", probe);
        List<TestRecord<byte[], byte[]>> out = assignments.readRecordsToList();
        assertEquals(2, out.size());
        Assignment a = Assignment.fromJson(out.get(0).value());
        Assignment b = Assignment.fromJson(out.get(1).value());
        assertEquals(1, a.modelVersion());
        assertEquals(2, b.modelVersion());
        assertEquals("2", header(out.get(1).headers(), "modelVersion"));
        assertEquals("kmeans-avg", header(out.get(1).headers(), "model"));
        assertEquals(3 - a.cluster(), b.cluster(), "v2 renames cluster c to 3 - c");
    }

    @Test
    void aCheckpointThatFailsItsChecksNeverReplacesTheServedOne() {
        publish(1, new int[] {0, 1, 2, 3});
        models.pipeInput(Checkpoint.TOPIC_KEY, new byte[] {1, 2, 3});
        models.pipeInput(Checkpoint.TOPIC_KEY, new Checkpoint(KMeansAvg.ID, 2, 2, "{}", 4, 2, 1, new int[] {0, 0, 0, 0},
                trained.payload()).toBytes());
        send("x", 2);
        assertEquals(1, Assignment.fromJson(assignments.readValue()).modelVersion());
    }

    @Test
    void deadLettersCarryTheReasonAndTheOrigin() {
        publish(1, new int[] {0, 1, 2, 3});
        send("ok", 2);
        send("wrong-d", 3);
        sequences.pipeInput("k".getBytes(), "{\"id\":\"r\",\"values\":[[1,2],[3]]}".getBytes());
        assertEquals(1, assignments.readRecordsToList().size());
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("DIM_MISMATCH", "RAGGED"),
                dead.stream().map(r -> header(r.headers(), "seqclust.error.code")).toList());
        TestRecord<byte[], byte[]> ragged = dead.get(1);
        assertEquals("{\"id\":\"r\",\"values\":[[1,2],[3]]}", new String(ragged.value(), StandardCharsets.UTF_8));
        assertEquals("seq", header(ragged.headers(), "seqclust.source.topic"));
        assertEquals("0", header(ragged.headers(), "seqclust.source.partition"));
        assertEquals("2", header(ragged.headers(), "seqclust.source.offset"));
        assertTrue(header(dead.get(0).headers(), "seqclust.error.message").contains("D = 3"));
    }

    @Test
    void aRecordOverTheLimitIsDeadLetteredAsATruncatedCopyAndTheStreamGoesOn() throws Exception {
        publish(1, new int[] {0, 1, 2, 3});
        byte[] big = new byte[3 * LIMITS.recordBytes()];
        java.util.Arrays.fill(big, (byte) 'x');
        sequences.pipeInput(new byte[5000], big);
        send("after", 2);
        assertEquals("after", Assignment.fromJson(assignments.readValue()).id());
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("TOO_LARGE", header(dead.headers(), "seqclust.error.code"));
        assertEquals("true", header(dead.headers(), "seqclust.source.truncated"));
        assertEquals(Integer.toString(big.length), header(dead.headers(), "seqclust.source.bytes"));
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)),
                header(dead.headers(), "seqclust.source.sha256"));
        assertEquals(DeadLetters.TRUNCATED_KEY_BYTES, dead.key().length);
        assertEquals(LIMITS.recordBytes(), dead.key().length + dead.value().length, "the copy fills the record limit");
    }

    @Test
    void inputHeadersNamedSeqclustAreNeverPassedOnAndTheRestOnlyUpToTheBound() {
        publish(1, new int[] {0, 1, 2, 3});
        org.apache.kafka.common.header.internals.RecordHeaders in = new org.apache.kafka.common.header.internals.RecordHeaders();
        in.add("seqclust.error.code", "SPOOFED".getBytes());
        in.add("modelVersion", "999".getBytes());
        in.add("trace", "t-1".getBytes());
        for (int i = 0; i < 10_000; i++) {
            in.add("h" + i, "0123456789".getBytes());
        }
        byte[] value = DemoStream.toJson("h", "test", 1L, demo.generate(0, 30)).getBytes(StandardCharsets.UTF_8);
        sequences.pipeInput(new TestRecord<>("h".getBytes(), value, in));
        sequences.pipeInput(new TestRecord<>("bad".getBytes(), "{oops".getBytes(), in));
        TestRecord<byte[], byte[]> assigned = assignments.readRecord();
        assertEquals("1", header(assigned.headers(), "modelVersion"), "seqclust's own, not the input's");
        for (TestRecord<byte[], byte[]> out : List.of(assigned, deadLetters.readRecord())) {
            Headers h = out.headers();
            assertEquals("t-1", header(h, "trace"));
            assertTrue(h.lastHeader("seqclust.error.code") == null || !header(h, "seqclust.error.code").equals("SPOOFED"));
            long carried = java.util.stream.StreamSupport.stream(h.spliterator(), false)
                    .filter(x -> !x.key().startsWith("seqclust.") && !x.key().startsWith("model"))
                    .mapToLong(x -> x.key().length() + x.value().length).sum();
            assertTrue(carried <= LIMITS.headerBytes(), carried + " bytes of input headers carried");
            assertTrue(Integer.parseInt(header(h, "seqclust.headers.dropped")) > 9_000);
        }
    }

    /**
     * One record at a time; batches of two (a failing batch is assigned record by record, a non-finite output in a
     * batch is that record's dead letter); one batch of four; one of eight split over two threads, the failure in
     * the helper's half.
     */
    @ParameterizedTest(name = "batch size {0}, {1} thread(s)")
    @CsvSource({"1, 1", "2, 1", "4, 1", "8, 2"})
    void aRecordWhoseProcessingFailsIsDeadLetteredAndTheStreamGoesOn(int batchSize, int threads) {
        AssignmentEngine failing = new AssignmentEngine(new SequenceParser(LIMITS)) {
            @Override
            public Assignment assign(io.seqclust.ingest.Sequence sequence, io.seqclust.clustering.LoadedModel model,
                                     long timestamp) throws io.seqclust.ingest.InvalidSequenceException {
                return switch (sequence.id()) {
                    case "boom" -> throw new IllegalStateException("injected failure");
                    case "nan" -> {
                        Assignment a = super.assign(sequence, model, timestamp);
                        yield new Assignment(a.id(), a.source(), a.cluster(), new double[] {Double.NaN, 0, 0, 0}, Double.NaN,
                                a.model(), a.modelVersion(), a.timestamp());
                    }
                    default -> super.assign(sequence, model, timestamp);
                };
            }

            @Override
            public List<Assignment> assignAll(List<io.seqclust.ingest.Sequence> batch, io.seqclust.clustering.LoadedModel model,
                                              long[] timestamps) {
                if (batch.stream().anyMatch(x -> x.id().equals("boom"))) {
                    throw new IllegalStateException("injected failure of the batch");
                }
                return super.assignAll(batch, model, timestamps).stream().map(a -> !a.id().equals("nan") ? a
                        : new Assignment(a.id(), a.source(), a.cluster(), new double[] {Double.NaN, 0, 0, 0}, Double.NaN,
                        a.model(), a.modelVersion(), a.timestamp())).toList();
            }
        };
        startDriver(failing, new Batching(batchSize, Duration.ofHours(1), threads), java.util.Optional.empty());
        publish(1, new int[] {0, 1, 2, 3});
        List<String> fine = new ArrayList<>(List.of("before"));
        send("before", 2);
        for (int i = 0; i < batchSize - 4; i++) {
            fine.add("fill-" + i);
            send("fill-" + i, 2);
        }
        send("boom", 2);
        send("nan", 2);
        send("after", 2);
        fine.add("after");
        assertEquals(fine, assignments.readValuesToList().stream().map(v -> Assignment.fromJson(v).id()).toList());
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("INTERNAL", "MODEL_OUTPUT"), dead.stream().map(r -> header(r.headers(), "seqclust.error.code")).toList());
        assertTrue(header(dead.get(0).headers(), "seqclust.error.message").contains("injected failure"));
    }

    @Test
    void aSignedTopologyServesOnlyCheckpointsWhoseHeaderSignsThem() {
        io.seqclust.checkpoint.CheckpointSignature key = new io.seqclust.checkpoint.CheckpointSignature("a-key-of-16-chars-or-more");
        startDriver(new AssignmentEngine(new SequenceParser(LIMITS)), Batching.NONE, java.util.Optional.of(key));
        byte[] v1 = new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 4, 2, 200, new int[] {0, 1, 2, 3}, trained.payload()).toBytes();
        byte[] v2 = new Checkpoint(KMeansAvg.ID, 2, 2, "{}", 4, 2, 200, new int[] {3, 2, 1, 0}, trained.payload()).toBytes();
        org.apache.kafka.common.header.internals.RecordHeaders signed = new org.apache.kafka.common.header.internals.RecordHeaders();
        signed.add(io.seqclust.checkpoint.CheckpointSignature.HEADER, key.sign(v1).getBytes(StandardCharsets.US_ASCII));
        models.pipeInput(new TestRecord<>(Checkpoint.TOPIC_KEY, v1, signed));
        models.pipeInput(Checkpoint.TOPIC_KEY, v2); // unsigned: refused
        send("x", 2);
        assertEquals(1, Assignment.fromJson(assignments.readValue()).modelVersion());
    }

    /** The deep models' checkpoints serve through the same topology, model name in the record and its header. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rddc", "dtcr"})
    void servesADeepModelsCheckpoint(String model) {
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            window.add(demo.next().values());
        }
        // the model's defaults, one epoch (and one run, no minimum of steps)
        ModelKind kind = ModelKind.of(model);
        Record settings = ModelSettings.bind(kind.spec().defaults(), key -> switch (key) {
            case "epochs", "restarts" -> 1;
            case "min-steps" -> 0;
            default -> null;
        });
        Assigner trained = kind.spec().create(settings, 4).fit(window, 1, TrainingProgress.NONE).assigner();
        models.pipeInput(Checkpoint.TOPIC_KEY, new Checkpoint(model, 1, 1, ModelSettings.json(settings), 4, 2, 150,
                new int[] {0, 1, 2, 3}, trained.payload()).toBytes());
        double[][] probe = demo.generate(2, 40);
        send("deep", probe);
        TestRecord<byte[], byte[]> out = assignments.readRecord();
        Assignment a = Assignment.fromJson(out.value());
        assertEquals(model, a.model());
        assertEquals(model, header(out.headers(), "model"));
        // the record carries the values as JSON floats, so the served model saw them rounded to float
        org.junit.jupiter.api.Assertions.assertArrayEquals(trained.probabilities(probe), a.probabilities(), 1e-6);
    }

    @Test
    void aRecordWhoseAssignmentWouldBeOverTheOutputBoundIsDeadLetteredAndTheStreamGoesOn() {
        // 600 clusters: an assignment of some 12 KB, over these tests' 8 KiB record bound
        int k = 600;
        java.util.Random r = new java.util.Random(2);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 2 * k; i++) {
            window.add(new double[][] {{r.nextGaussian(), r.nextGaussian()}, {r.nextGaussian(), r.nextGaussian()}});
        }
        Assigner many = new KMeansAvg(new KMeansAvg.Settings(1, 20), k).fit(window, 1, TrainingProgress.NONE).assigner();
        int[] identity = java.util.stream.IntStream.range(0, k).toArray();
        models.pipeInput(Checkpoint.TOPIC_KEY, new Checkpoint(KMeansAvg.ID, 1, 1, "{}", k, 2, window.size(), identity,
                many.payload()).toBytes());
        send("too-many-clusters", 2);
        assertTrue(assignments.isEmpty());
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("OUTPUT_TOO_LARGE", header(dead.headers(), "seqclust.error.code"));
        assertTrue(header(dead.headers(), "seqclust.error.message").contains("600 clusters"), header(dead.headers(), "seqclust.error.message"));

        publish(2, new int[] {0, 1, 2, 3});
        send("after", 2);
        assertEquals("after", Assignment.fromJson(assignments.readValue()).id());
    }

    /** A trainer that does not assign reads the models topic and nothing else: no stream thread takes a partition. */
    @Test
    void aTrainerOnlyTopologyReadsTheModelsTopicAlone() {
        driver.close();
        ModelCatalog catalog = new ModelCatalog(metrics, java.util.OptionalInt.empty(), LIMITS.dims(), java.util.Optional.empty());
        org.apache.kafka.streams.Topology topology = TopologyProducer.modelsOnly(TOPICS, catalog);
        assertTrue(topology.describe().subtopologies().isEmpty(), topology.describe().toString());
        assertEquals(1, topology.describe().globalStores().size());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props);
        models = driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer());
        publish(1, new int[] {0, 1, 2, 3});
        assertEquals(1, catalog.current().version());
    }

    private void publish(long version, int[] permutation) {
        models.pipeInput(Checkpoint.TOPIC_KEY, new Checkpoint(KMeansAvg.ID, version, version, "{}", 4, 2, 200, permutation,
                trained.payload()).toBytes());
    }

    private void send(String id, int dims) {
        DemoStream other = new DemoStream(id.hashCode(), dims, 4, 20, 60, 0.2);
        send(id, other.next().values());
    }

    private void send(String id, double[][] values) {
        sequences.pipeInput(id.getBytes(), DemoStream.toJson(id, "test", 1L, values).getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
