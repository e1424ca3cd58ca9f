package io.seqclust.clustering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model's settings record as settings: each component is a key (its name in kebab case, e.g.
 * {@code learningRate} → {@code learning-rate}), its value in the record's {@code DEFAULTS} is the default,
 * its Bean Validation constraints the allowed range. The service binds {@code seqclust.<model>.<key>} this
 * way and the command line {@code --<key>}, so both start from the same defaults object.
 */
public final class ModelSettings {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Validator validator;

    private ModelSettings() {
    }

    /** The record's keys, in component order. */
    public static List<String> keys(Class<? extends Record> type) {
        return List.copyOf(components(type).keySet());
    }

    /** Each key's record component, in order. */
    public static Map<String, RecordComponent> components(Class<? extends Record> type) {
        Map<String, RecordComponent> out = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            out.put(kebab(c.getName()), c);
        }
        return out;
    }

    /**
     * The defaults with every key that {@code override} gives a value for replaced; the defaults object
     * itself when none is.
     *
     * @param override a key's new value (of its component's type), or null to keep the default
     */
    public static <S extends Record> S bind(S defaults, Function<String, Object> override) {
        RecordComponent[] components = defaults.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        boolean changed = false;
        for (int i = 0; i < components.length; i++) {
            Object v = override.apply(kebab(components[i].getName()));
            changed |= v != null;
            values[i] = v != null ? v : read(components[i], defaults);
        }
        if (!changed) {
            return defaults;
        }
        @SuppressWarnings("unchecked")
        Class<S> type = (Class<S>) defaults.getClass();
        try {
            Constructor<S> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /**
     * As {@link #bind(Record, Function)}, from text: {@code lookup} gives a key's text or null.
     *
     * @param keyName how a key is named in messages (e.g. {@code seqclust.rddc.epochs})
     * @throws IllegalArgumentException naming the key when a text is not of the component's type
     */
    public static <S extends Record> S bindText(S defaults, Function<String, String> lookup, Function<String, String> keyName) {
        Map<String, RecordComponent> components = components(defaults.getClass());
        return bind(defaults, key -> {
            String text = lookup.apply(key);
            return text == null ? null : parse(components.get(key).getType(), text.trim(), keyName.apply(key));
        });
    }

    /**
     * @throws IllegalArgumentException listing every value out of its range, each with its key's name
     */
    public static <S extends Record> S validate(S settings, Validator validator, Function<String, String> keyName) {
        List<ConstraintViolation<S>> violations = validator.validate(settings).stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString())).toList();
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(violations.stream()
                    .map(v -> keyName.apply(kebab(v.getPropertyPath().toString())) + " " + v.getMessage() + " (was "
                            + display(v.getInvalidValue()) + ")")
                    .collect(Collectors.joining("; ")));
        }
        return settings;
    }

    /**
     * {@code model}'s defaults with the values given as text by key, validated: {@code bench --set} and an ensemble's
     * member settings.
     *
     * @param keyName how a key is named in messages
     * @throws IllegalArgumentException for a key that is not a setting of the model (listing its settings), a text not
     *                                  of its setting's type, or a value out of range
     */
    public static Record withValues(ModelKind model, Map<String, String> given, Validator validator,
                                    Function<String, String> keyName) {
        List<String> own = keys(model.spec().settingsType());
        List<String> foreign = given.keySet().stream().filter(key -> !own.contains(key)).toList();
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", foreign) + (foreign.size() == 1 ? " is not a setting"
                    : " are not settings") + " of " + model + "; its settings: " + String.join(", ", own));
        }
        return validate(bindText(model.spec().defaults(), given::get, keyName), validator, keyName);
    }

    /** A Bean Validation validator for use outside the service (the command line, tests). */
    public static synchronized Validator validator() {
        if (validator == null) {
            validator = Validation.byProvider(HibernateValidator.class).configure().buildValidatorFactory().getValidator();
        }
        return validator;
    }

    /** Each key with its value, as JSON numbers, strings and arrays: for checkpoints and reports. */
    public static Map<String, Object> describe(Record settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        components(settings.getClass()).forEach((key, c) -> {
            Object v = read(c, settings);
            out.put(key, v instanceof Enum<?> e ? display(e) : v);
        });
        return out;
    }

    public static String json(Record settings) {
        try {
            return JSON.writeValueAsString(describe(settings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as a user writes it: enums in kebab case, arrays comma-separated, numbers without trailing zeros. */
    public static String display(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof int[] a) {
            return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
        if (value instanceof String[] a) {
            return String.join(",", a);
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    /** Each key's value, displayed. */
    public static Map<String, String> displayed(Record settings) {
        Map<String, String> out = new LinkedHashMap<>();
        components(settings.getClass()).forEach((key, c) -> out.put(key, display(read(c, settings))));
        return out;
    }

    /** The enum constant a user's text names: its name in kebab case (or as written), any letter case. */
    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (display(e).equalsIgnoreCase(text) || e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(ModelSettings::display).collect(Collectors.joining(", ")));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String text, String key) {
        try {
            if (type == int.class) {
                return Integer.parseInt(text);
            }
            if (type == long.class) {
                return Long.parseLong(text);
            }
            if (type == double.class) {
                return Double.parseDouble(text);
            }
            if (type == boolean.class) {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("'" + text + "' is not true or false");
                }
                return Boolean.parseBoolean(text);
            }
            if (type == int[].class) {
                return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            }
            if (type == String[].class) {
                return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
            }
            if (type.isEnum()) {
                return parseEnum((Class) type, text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not " + (type == double.class ? "a number"
                    : type == int[].class ? "a comma-separated list of integers" : "an integer"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        throw new IllegalStateException("settings of type " + type + " are not supported");
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
