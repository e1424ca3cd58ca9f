package io.seqclust.config;

import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * README's configuration table names every {@code seqclust.*} setting — the service's and every registered
 * model's — with the default the code has.
 */
class ConfigDocumentationTest {

    @Test
    void everySettingIsInTheReadmeWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> defaults = new LinkedHashMap<>(ConfigKeys.defaults());
        for (ModelKind kind : ModelKind.values()) {
            ModelSettings.displayed(kind.spec().defaults()).forEach((key, value) -> defaults.put("seqclust." + kind.id() + "." + key, value));
        }
        List<String> wrong = new ArrayList<>();
        defaults.forEach((key, value) -> {
            String row = "| `" + key + "` | ";
            if (!readme.contains(row)) {
                wrong.add(key + " (missing)");
            } else if (value != null && !readme.contains(row + "`" + value + "`")) {
                wrong.add(key + " (its default is " + value + ")");
            }
        });
        assertEquals(List.of(), wrong, "settings missing from README's configuration table, or with another default there");
    }
}
