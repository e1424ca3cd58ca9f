package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
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
    @ValueSource(strings = {"truncated", "header bomb", "flipped bit", "other D", "300000 dims", "one cluster",
            "NaN on real data", "replay", "same version", "max version"})
    void aBrokenOrHostileCheckpointIsRefusedAndTheServedOneStays(String kind) {
        stream.forEach(catalog::observe);
        assertTrue(catalog.offer(checkpoint(1, "{}", new int[] {0, 1, 2, 3}).toBytes()));
        assertTrue(catalog.offer(checkpoint(2, "{}", new int[] {0, 1, 2, 3}).toBytes()));
        HostileCheckpoints.Hostile hostile = HostileCheckpoints.against(2, trained, trained5d).get(kind);
        assertFalse(catalog.offer(hostile.bytes()), kind);
        assertEquals(2, catalog.current().version());
        assertEquals(1.0, registry.get("seqclust.checkpoints.rejected").tag("reason", hostile.reason().name()).counter().count(), kind);
        assertTrue(catalog.offer(checkpoint(3, "{}", new int[] {0, 1, 2, 3}).toBytes()), "a good one after it is served");
    }

    @Test
    void withASigningKeyOnlyCheckpointsSignedWithItAreServed() {
        CheckpointSignature key = new CheckpointSignature("a-key-of-16-chars-or-more");
        ModelCatalog signed = new ModelCatalog(new SeqclustMetrics(registry, "seq"), OptionalInt.empty(), 1000, Optional.of(key));
        byte[] v1 = checkpoint(1, "{}", new int[] {0, 1, 2, 3}).toBytes();
        assertFalse(signed.offer(v1, null, null), "unsigned");
        assertFalse(signed.offer(v1, new CheckpointSignature("another-key-of-16-chars").sign(v1).getBytes(), null), "another key");
        byte[] tampered = checkpoint(1, "{\"x\":1}", new int[] {0, 1, 2, 3}).toBytes();
        assertFalse(signed.offer(tampered, key.sign(v1).getBytes(), null), "v1's signature on other bytes");
        assertNull(signed.current());
        assertEquals(1.0, registry.get("seqclust.checkpoints.rejected").tag("reason", "UNSIGNED").counter().count());
        assertEquals(2.0, registry.get("seqclust.checkpoints.rejected").tag("reason", "SIGNATURE").counter().count());
        assertTrue(signed.offer(v1, signed.sign(v1).orElseThrow().getBytes(), null));
        assertEquals(1, signed.current().version());
    }

    /** After a format change or a broken newest record, versions still only increase: the header counts. */
    @Test
    void theNextVersionIsAboveEveryVersionOnTheTopicServedOrNot() {
        assertEquals(1, catalog.nextVersion());
        assertTrue(catalog.offer(checkpoint(3, "{}", new int[] {0, 1, 2, 3}).toBytes()));
        assertEquals(4, catalog.nextVersion());
        assertFalse(catalog.offer("a format this build cannot read".getBytes(), null, "9".getBytes()));
        assertEquals(10, catalog.nextVersion(), "v9 is taken though it cannot be served");
        assertFalse(catalog.offer(new byte[] {1}, null, "not a number".getBytes()));
        assertFalse(catalog.offer(new byte[] {1}, null, Long.toString(Long.MAX_VALUE).getBytes()), "beyond the version bound");
        assertEquals(10, catalog.nextVersion());
        assertEquals(3, catalog.current().version(), "v3 still serves");

        CheckpointSignature key = new CheckpointSignature("a-key-of-16-chars-or-more");
        ModelCatalog signed = new ModelCatalog(new SeqclustMetrics(registry, "seq"), OptionalInt.empty(), 1000, Optional.of(key));
        assertFalse(signed.offer(new byte[] {1}, null, "100".getBytes()));
        assertEquals(1, signed.nextVersion(), "an unsigned record takes no version when checkpoints are signed");
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
