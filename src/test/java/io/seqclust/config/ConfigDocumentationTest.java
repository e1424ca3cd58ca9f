package io.seqclust.config;

import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** README's configuration table names every {@code seqclust.*} setting. */
class ConfigDocumentationTest {

    @Test
    void everySettingIsInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = new ArrayList<>();
        for (String key : keys("seqclust", SeqclustConfig.class)) {
            if (!readme.contains("| `" + key + "` |")) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "settings missing from README's configuration table");
    }

    private static List<String> keys(String prefix, Class<?> type) {
        List<String> out = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : m.getName());
            Class<?> returned = m.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == SeqclustConfig.class) {
                out.addAll(keys(key, returned));
            } else {
                out.add(key);
            }
        }
        return out;
    }
}
