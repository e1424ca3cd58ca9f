package io.seqclust.clustering;

import io.seqclust.model.layer.ReconstructionDecoder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelSettingsTest {

    private static Dtcr.Settings bind(Map<String, String> text) {
        return ModelSettings.validate(ModelSettings.bindText(Dtcr.Settings.DEFAULTS, text::get, key -> "seqclust.dtcr." + key),
                ModelSettings.validator(), key -> "seqclust.dtcr." + key);
    }

    @Test
    void textBecomesEachComponentsType() {
        Dtcr.Settings s = bind(Map.of("units", "8, 4", "dilations", "1,2", "decoder", "free-running", "lambda", "0.5",
                "epochs", "3"));
        assertArrayEquals(new int[] {8, 4}, s.units());
        assertEquals(ReconstructionDecoder.Feed.FREE_RUNNING, s.decoder());
        assertEquals(0.5, s.lambda());
        assertEquals(3, s.epochs());
        assertEquals(Dtcr.Settings.DEFAULTS.batchSize(), s.batchSize());
        assertSame(Dtcr.Settings.DEFAULTS, bind(Map.of()), "nothing set: the defaults themselves");
    }

    @Test
    void badTextAndValuesOutOfRangeNameTheKey() {
        assertEquals("seqclust.dtcr.epochs: 'x' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> bind(Map.of("epochs", "x"))).getMessage());
        assertEquals("seqclust.dtcr.decoder: 'backwards' is not one of teacher-forcing, free-running",
                assertThrows(IllegalArgumentException.class, () -> bind(Map.of("decoder", "backwards"))).getMessage());
        assertEquals("seqclust.dtcr.epochs must be greater than or equal to 1 (was 0); seqclust.dtcr.lambda must be greater than"
                        + " or equal to 0 (was -1)",
                assertThrows(IllegalArgumentException.class, () -> bind(Map.of("epochs", "0", "lambda", "-1"))).getMessage());
    }

    @Test
    void keysAndDisplayedValuesAreWhatUsersWrite() {
        assertEquals(java.util.List.of("hidden-units", "layers", "dense-units", "epochs", "steps", "min-steps", "pretrain-steps", "batch-size", "learning-rate",
                "clip-norm", "restarts", "selection", "normalization", "engine", "gru-init"), ModelSettings.keys(Rddc.Settings.class));
        Map<String, String> shown = ModelSettings.displayed(Dtcr.Settings.DEFAULTS);
        assertEquals("50,30,30", shown.get("units"));
        assertEquals("0.001", shown.get("learning-rate"));
        assertEquals("teacher-forcing", shown.get("decoder"));
        assertEquals("{\"restarts\":10,\"max-iterations\":100}", ModelSettings.json(KMeansAvg.Settings.DEFAULTS));
    }
}
