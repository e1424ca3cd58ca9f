package io.seqclust.assignment;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.demo.DemoStream;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCatalogTest {

    private final ModelCatalog catalog = new ModelCatalog(new SeqclustMetrics(new SimpleMeterRegistry(), "seq"));
    private final Assigner trained;

    ModelCatalogTest() {
        DemoStream demo = new DemoStream(3, 2, 4, 20, 60, 0.2);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            window.add(demo.next().values());
        }
        trained = new KMeansAvg(KMeansAvg.Settings.DEFAULTS, 4).fit(window, 1, TrainingProgress.NONE).assigner();
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
