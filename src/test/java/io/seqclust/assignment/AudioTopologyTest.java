package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.audio.AudioFeatures;
import io.seqclust.audio.AudioParser;
import io.seqclust.audio.AudioSettings;
import io.seqclust.audio.Pcm;
import io.seqclust.audio.Wav;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.seqclust.assignment.AssignTopologyTest.LIMITS;
import static io.seqclust.assignment.AssignTopologyTest.TOPICS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audio front end in the topology: a clip's features join the sequences topic under its key, with its
 * headers, and are assigned like any sequence; bad audio is dead-lettered with its code and the original bytes,
 * and the stream goes on.
 */
class AudioTopologyTest {

    private static final int RATE = 8000;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SeqclustMetrics metrics = new SeqclustMetrics(registry, "seq");
    private final AudioFeatures features = new AudioFeatures(AudioSettings.DEFAULTS);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> audio;
    private TestOutputTopic<byte[], byte[]> sequences;
    private TestOutputTopic<byte[], byte[]> assignments;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private Assigner trained;

    @BeforeEach
    void start() throws InvalidSequenceException {
        Topology topology = TopologyProducer.build(TOPICS, new AssignmentEngine(new SequenceParser(LIMITS)),
                new ModelCatalog(metrics, java.util.OptionalInt.empty(), LIMITS.dims(), java.util.Optional.empty()), metrics,
                Batching.NONE);
        // the limits of AssignTopologyTest: 8 KiB records, so a clip of 8 kHz is at most half a second
        TopologyProducer.addAudio(topology, TOPICS, new AudioParser(LIMITS, AudioSettings.DEFAULTS), LIMITS, metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props);
        audio = driver.createInputTopic("audio", new ByteArraySerializer(), new ByteArraySerializer());
        sequences = driver.createOutputTopic("seq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assignments = driver.createOutputTopic("asg", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            window.add(features.of(new Pcm(tone(i % 2 == 0 ? 300 : 2500, 0.05 + 0.005 * i), RATE)));
        }
        trained = new KMeansAvg(new KMeansAvg.Settings(3, 50), 2).fit(window, 1, TrainingProgress.NONE).assigner();
        driver.createInputTopic("models", new StringSerializer(), new ByteArraySerializer()).pipeInput(Checkpoint.TOPIC_KEY,
                new Checkpoint(KMeansAvg.ID, 1, 1, "{}", 2, AudioSettings.DEFAULTS.bands(), 40, new int[] {0, 1},
                        trained.payload()).toBytes());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aClipIsAssignedUnderItsKeyAndBadAudioIsDeadLetteredWithoutStoppingTheStream() throws InvalidSequenceException {
        float[] low = tone(300, 0.06);
        Headers headers = new RecordHeaders().add("demo.label", "low".getBytes(StandardCharsets.UTF_8))
                .add("seqclust.error.code", "FORGED".getBytes(StandardCharsets.UTF_8));
        audio.pipeInput(new TestRecord<>("clip-1".getBytes(StandardCharsets.UTF_8), Wav.encode(low, RATE), headers));
        audio.pipeInput("bad".getBytes(StandardCharsets.UTF_8), "not audio".getBytes(StandardCharsets.UTF_8));
        audio.pipeInput("quiet".getBytes(StandardCharsets.UTF_8), Wav.encode(new float[2000], RATE));
        audio.pipeInput("clip-2".getBytes(StandardCharsets.UTF_8), Wav.encode(tone(2500, 0.06), RATE));

        List<TestRecord<byte[], byte[]>> seq = sequences.readRecordsToList();
        assertEquals(List.of("clip-1", "clip-2"), seq.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
        assertEquals("low", header(seq.get(0).headers(), "demo.label"));
        assertEquals(null, seq.get(0).headers().lastHeader("seqclust.error.code"), "an input's seqclust.* headers are not carried");

        List<TestRecord<byte[], byte[]>> out = assignments.readRecordsToList();
        assertEquals(List.of("clip-1", "clip-2"), out.stream().map(r -> Assignment.fromJson(r.value()).id()).toList());
        assertEquals("low", header(out.get(0).headers(), "demo.label"), "a producer's header reaches the assignment");
        double[][] expected = features.of(new Pcm(low, RATE));
        assertArrayEquals(trained.probabilities(floats(expected)), Assignment.fromJson(out.get(0).value()).probabilities(), 1e-6);
        assertTrue(Assignment.fromJson(out.get(0).value()).cluster() != Assignment.fromJson(out.get(1).value()).cluster());

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("NOT_AUDIO", "SILENT"), dead.stream().map(r -> header(r.headers(), "seqclust.error.code")).toList());
        assertEquals("audio", header(dead.get(0).headers(), "seqclust.source.topic"));
        assertArrayEquals("not audio".getBytes(StandardCharsets.UTF_8), dead.get(0).value(), "the original bytes, unchanged");
        assertEquals(2.0, registry.get("seqclust.records.dead.lettered").tag("topic", "audio").counters().stream()
                .mapToDouble(c -> c.count()).sum());
        assertEquals(4.0, registry.get("seqclust.records.consumed").tag("topic", "audio").counter().count());
    }

    /** A clip whose features would not fit a record (8 KiB here) is dead-lettered TOO_LONG, saying what to change. */
    @Test
    void featuresOverTheRecordLimitAreRefusedWithTheSettingToChange() {
        audio.pipeInput("long".getBytes(StandardCharsets.UTF_8), Wav.encode(tone(300, 0.4), RATE));
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("TOO_LONG", header(dead.headers(), "seqclust.error.code"));
        assertTrue(header(dead.headers(), "seqclust.error.message").contains("seqclust.audio.max-seconds"));
        assertTrue(sequences.isEmpty());
    }

    /** The values as the sequences topic carries them: float32. */
    private static double[][] floats(double[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = new double[x[t].length];
            for (int d = 0; d < x[t].length; d++) {
                out[t][d] = (float) x[t][d];
            }
        }
        return out;
    }

    private static float[] tone(double hz, double seconds) {
        float[] x = new float[(int) Math.round(seconds * RATE)];
        for (int n = 0; n < x.length; n++) {
            x[n] = (float) (0.5 * Math.sin(2 * Math.PI * hz * n / RATE));
        }
        return x;
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
