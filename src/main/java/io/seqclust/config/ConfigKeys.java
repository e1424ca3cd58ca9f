package io.seqclust.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The keys of the {@link SeqclustConfig} mapping, with their defaults, read off the interface itself. */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    public static List<String> mapping() {
        return List.copyOf(defaults().keySet());
    }

    /** Each key with its {@code @WithDefault} (null when it has none). */
    public static Map<String, String> defaults() {
        Map<String, String> out = new LinkedHashMap<>();
        collect("seqclust", SeqclustConfig.class, out);
        return out;
    }

    private static void collect(String prefix, Class<?> type, Map<String, String> out) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : m.getName());
            Class<?> returned = m.getReturnType();
            // a group of settings: an interface nested (at any depth) in SeqclustConfig
            if (returned.isInterface() && returned.getName().startsWith(SeqclustConfig.class.getName() + "$")) {
                collect(key, returned, out);
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                out.put(key, d == null ? null : d.value());
            }
        }
    }
}
