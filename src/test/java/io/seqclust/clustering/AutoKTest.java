package io.seqclust.clustering;

import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoKTest {

    /** Three clear groups: the most stable partition has three clusters, and k = 3 serves. */
    @Test
    void findsTheNumberOfClearGroups() {
        Random r = new Random(1);
        List<double[][]> data = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            double[][] x = new double[30][2];
            for (int t = 0; t < 30; t++) {
                x[t][0] = Math.sin(t / 3.0 + 2 * (i % 3)) + 0.2 * r.nextGaussian();
                x[t][1] = 3 * (i % 3) + 0.2 * r.nextGaussian();
            }
            data.add(x);
        }
        ModelSpec<?> spec = ModelKind.KMEANS.spec();
        AutoK auto = new AutoK(spec, spec.defaults(), 2, 6);
        Fit fit = auto.fit(data, 1, TrainingProgress.NONE);
        assertEquals(3, fit.assigner().k());
        assertTrue(fit.candidates().stream().anyMatch(c -> c.name().startsWith("k=3 (PAC")), fit.candidates().toString());
        double pac3 = auto.pac(data.subList(0, 100), 3, 1);
        double pac5 = auto.pac(data.subList(0, 100), 5, 1);
        assertTrue(pac3 < pac5, "PAC " + pac3 + " at k = 3, " + pac5 + " at k = 5");
    }

    /**
     * The resamples' fits run with at most 10 k-means restarts and one kernel draw, every other setting as given; the
     * final fit as given.
     */
    @Test
    void theResamplesRunWithFewKMeansRestartsAndOneDraw() {
        MiniRocket.Settings d = MiniRocket.Settings.DEFAULTS;
        assertTrue(d.kmeansRestarts() > AutoK.RESAMPLE_RESTARTS, "the default has more restarts");
        assertTrue(d.draws() > AutoK.RESAMPLE_DRAWS, "the default has more draws");
        Record resampled = AutoK.forResamples(d);
        Map<String, Object> expected = new java.util.LinkedHashMap<>(ModelSettings.describe(d));
        expected.put(AutoK.RESTARTS_KEY, AutoK.RESAMPLE_RESTARTS);
        expected.put(AutoK.DRAWS_KEY, AutoK.RESAMPLE_DRAWS);
        assertEquals(expected, ModelSettings.describe(resampled));
        MiniRocket.Settings few = ModelSettings.bind(d, key -> key.equals(AutoK.RESTARTS_KEY) ? (Object) 3
                : key.equals(AutoK.DRAWS_KEY) ? (Object) 1 : null);
        assertSame(few, AutoK.forResamples(few), "fewer restarts and one draw are kept");
        Record noKMeans = ModelKind.KMEANS_AVG.spec().defaults();
        assertSame(noKMeans, AutoK.forResamples(noKMeans), "a model without the setting is untouched");
    }

    @Test
    void kIsAWholeNumberOrAuto() {
        assertTrue(KChoice.of("auto").auto());
        assertEquals(7, KChoice.of(" 7 ").fixed());
        assertThrows(IllegalArgumentException.class, () -> KChoice.of("1"));
        assertThrows(IllegalArgumentException.class, () -> KChoice.of("many"));
        assertThrows(IllegalArgumentException.class, () -> new AutoK(ModelKind.KMEANS.spec(), ModelKind.KMEANS.spec().defaults(), 5, 3));
    }
}
