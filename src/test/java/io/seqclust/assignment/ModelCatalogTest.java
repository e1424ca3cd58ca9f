package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import io.seqclust.checkpoint.PayloadWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCatalogTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModelCatalog catalog = new ModelCatalog(new SeqclustMetrics(registry, "seq"), OptionalInt.empty(), 1000, Optional.empty());
    private final Assigner trained;
    private final Assigner trained5d;
    private final List<double[][]> stream = new ArrayList<>();

    ModelCatalogTest() {
        DemoStream demo = new DemoStream(3, 2, 4, 20, 60, 0.2);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            window.add(demo.next().values());
        }
        trained = new KMeansAvg(KMeansAvg.Settings.DEFAULTS, 4).fit(window, 1, TrainingProgress.NONE).assigner();
        DemoStream demo5 = new DemoStream(4, 5, 4, 20, 60, 0.2);
        List<double[][]> window5 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            window5.add(demo5.next().values());
        }
        trained5d = new KMeansAvg(KMeansAvg.Settings.DEFAULTS, 4).fit(window5, 1, TrainingProgress.NONE).assigner();
        for (int i = 0; i < 10; i++) {
            stream.add(demo.next().values());
        }
    }

    /**
     * Each hostile or broken checkpoint is refused with its reason, counted, and v2 keeps serving; the stream's
     * own sequences are the probes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "truncated, UNREADABLE", "header bomb, UNREADABLE", "flipped bit, UNREADABLE", "other D, DIMS",
            "300000 dims, DIMS", "one cluster, CLUSTERS", "NaN on real data, PROBE", "replay of v1, REPLAY",
            "max version, VERSION", "same version, REPLAY"})
    void aBrokenOrHostileCheckpointIsRefusedAndTheServedOneStays(String kind, CheckpointPolicy.Reason reason) {
        stream.forEach(catalog::observe);
        byte[] v1 = checkpoint(1, "{}", new int[] {0, 1, 2, 3}).toBytes();
        assertTrue(catalog.offer(v1));
        assertTrue(catalog.offer(checkpoint(2, "{}", new int[] {0, 1, 2, 3}).toBytes()));
        byte[] good3 = checkpoint(3, "{}", new int[] {0, 1, 2, 3}).toBytes();
        byte[] hostile = switch (kind) {
            case "truncated" -> Arrays.copyOf(good3, good3.length - 10);
            case "header bomb" -> headerBomb();
            case "flipped bit" -> {
                byte[] b = good3.clone();
                b[b.length - 20] ^= 0x10;
                yield b;
            }
            case "other D" -> new Checkpoint(KMeansAvg.ID, 3, 3, "{}", 4, 5, 100, new int[] {0, 1, 2, 3}, trained5d.payload()).toBytes();
            case "300000 dims" -> new Checkpoint(KMeansAvg.ID, 3, 3, "{}", 4, 300_000, 100, new int[] {0, 1, 2, 3}, new byte[8]).toBytes();
            case "one cluster" -> new Checkpoint(KMeansAvg.ID, 3, 3, "{}", 1, 2, 100, new int[] {0}, trained.payload()).toBytes();
            case "NaN on real data" -> new Checkpoint(KMeansAvg.ID, 3, 3, "{}", 4, 2, 100, new int[] {0, 1, 2, 3},
                    finiteOnZerosOnly()).toBytes();
            case "replay of v1" -> v1;
            case "max version" -> checkpoint(Long.MAX_VALUE, "{}", new int[] {0, 1, 2, 3}).toBytes();
            case "same version" -> checkpoint(2, "{}", new int[] {3, 2, 1, 0}).toBytes();
            default -> throw new IllegalArgumentException(kind);
        };
        assertFalse(catalog.offer(hostile), kind);
        assertEquals(2, catalog.current().version());
        assertEquals(1.0, registry.get("seqclust.checkpoints.rejected").tag("reason", reason.name()).counter().count(), kind);
        assertTrue(catalog.offer(good3), "a good one after it is served");
    }

    @Test
    void withASigningKeyOnlyCheckpointsSignedWithItAreServed() {
        CheckpointSignature key = new CheckpointSignature("a-key-of-16-chars-or-more");
        ModelCatalog signed = new ModelCatalog(new SeqclustMetrics(registry, "seq"), OptionalInt.empty(), 1000, Optional.of(key));
        byte[] v1 = checkpoint(1, "{}", new int[] {0, 1, 2, 3}).toBytes();
        assertFalse(signed.offer(v1, null), "unsigned");
        assertFalse(signed.offer(v1, new CheckpointSignature("another-key-of-16-chars").sign(v1).getBytes()), "another key");
        byte[] tampered = checkpoint(1, "{\"x\":1}", new int[] {0, 1, 2, 3}).toBytes();
        assertFalse(signed.offer(tampered, key.sign(v1).getBytes()), "v1's signature on other bytes");
        assertNull(signed.current());
        assertEquals(1.0, registry.get("seqclust.checkpoints.rejected").tag("reason", "UNSIGNED").counter().count());
        assertEquals(2.0, registry.get("seqclust.checkpoints.rejected").tag("reason", "SIGNATURE").counter().count());
        assertTrue(signed.offer(v1, signed.sign(v1).orElseThrow().getBytes()));
        assertEquals(1, signed.current().version());
    }

    /** 48 bytes whose header asks for 60,000 permutation entries. */
    private static byte[] headerBomb() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(48);
        b.putInt(0x5351434b).putInt(Checkpoint.FORMAT_VERSION).putLong(3).putLong(3);
        b.putShort((short) 1).put((byte) 'x').putShort((short) 2).put("{}".getBytes());
        b.putInt(60_000).putInt(2).putInt(100);
        return b.array();
    }

    /**
     * A kmeans-avg payload that gives probabilities on the all-zero sequence but NaN on any real one: a
     * feature scale of 1e-300 sends every distance to infinity.
     */
    private static byte[] finiteOnZerosOnly() {
        double[][] centroids = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
        return new PayloadWriter().writeInt(2).writeInt(4).writeDoubles(new double[] {0, 0, 0})
                .writeDoubles(new double[] {1e-300, 1, 1}).writeMatrix(centroids).toBytes();
    }

    private Checkpoint checkpoint(long version, String settings, int[] permutation) {
        return new Checkpoint(KMeansAvg.ID, version, version, settings, 4, 2, 100, permutation, trained.payload());
    }

    @Test
    void servesWhatPassesItsChecksAndKeepsThePreviousOtherwise() {
        assertNull(catalog.current());
        assertTrue(catalog.offer(checkpoint(1, "{\"restarts\":10}", new int[] {0, 1, 2, 3}).toBytes()));
        assertFalse(catalog.offer(checkpoint(2, "{}", new int[] {0, 0, 0, 0}).toBytes()), "not a permutation");
        assertFalse(catalog.offer(new byte[] {1, 2, 3}));
        assertEquals(1, catalog.current().version());
        assertTrue(catalog.offer(checkpoint(3, "not json", new int[] {3, 2, 1, 0}).toBytes()));
        List<ModelCatalog.Summary> history = catalog.history();
        assertEquals(List.of(3L, 1L), history.stream().map(ModelCatalog.Summary::version).toList(), "newest first");
        assertEquals(10, history.get(1).settings().path("restarts").asInt());
        assertEquals("not json", history.get(0).settings().asText());
    }

    @Test
    void aCheckpointThisProcessPreparedIsCheckedBeforePublishingAndServedWhenItComesBack() throws InterruptedException {
        assertThrows(IllegalArgumentException.class, () -> catalog.prepare(checkpoint(1, "{}", new int[] {1, 1, 2, 3})));
        byte[] bytes = catalog.prepare(checkpoint(1, "{}", new int[] {0, 1, 2, 3}));
        assertFalse(catalog.awaitVersion(1, Duration.ofMillis(50)), "not served before the topic brings it");
        assertTrue(catalog.offer(bytes));
        assertTrue(catalog.awaitVersion(1, Duration.ofMillis(50)));
        assertFalse(catalog.awaitVersion(2, Duration.ofMillis(50)));
    }
}
