package io.seqclust.cli;

import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.clustering.Setting;
import jakarta.validation.Validator;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One command-line option per model setting, made from the registry's settings records: {@code --epochs}
 * for every model with an {@code epochs} setting, its meaning and default per model in {@code --help}.
 * Unset options keep the record's {@code DEFAULTS}, the object the service starts from too; given ones are
 * converted and checked as the service's keys are.
 */
final class ModelOptions {

    private ModelOptions() {
    }

    /** Adds the options of every registered model to the command, as a group headed "Model settings". */
    static void addTo(CommandSpec spec) {
        Map<String, List<ModelKind>> users = new LinkedHashMap<>();
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (ModelKind kind : ModelKind.values()) {
            ModelSettings.components(kind.spec().settingsType()).forEach((key, c) -> {
                RecordComponent seen = components.putIfAbsent(key, c);
                if (seen != null && seen.getType() != c.getType()) {
                    throw new IllegalStateException("setting '" + key + "' has different types in different models");
                }
                users.computeIfAbsent(key, x -> new ArrayList<>()).add(kind);
            });
        }
        StringBuilder heading = new StringBuilder("%nModels (--model):%n");
        for (ModelKind kind : ModelKind.values()) {
            heading.append(String.format("  %-12s %s%%n", kind.id(), kind.spec().summary()));
        }
        heading.append("%nModel settings (each applies to the models named; unset, the model's default):%n");
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(false).multiplicity("0..1").heading(heading.toString());
        components.forEach((key, c) -> group.addArg(option(key, c.getType(), users.get(key))));
        spec.addArgGroup(group.build());
    }

    /** One description line per meaning and default: "rddc, dtcr: Adam's learning rate (default 0.001)". */
    private static OptionSpec option(String key, Class<?> type, List<ModelKind> kinds) {
        Map<String, List<ModelKind>> lines = new LinkedHashMap<>();
        for (ModelKind kind : kinds) {
            String line = meaning(kind, key) + " (default " + ModelSettings.displayed(kind.spec().defaults()).get(key) + ")";
            lines.computeIfAbsent(line, x -> new ArrayList<>()).add(kind);
        }
        String[] description = lines.entrySet().stream().map(e -> e.getValue().stream().map(ModelKind::id)
                .collect(Collectors.joining(", ")) + ": " + e.getKey()).toArray(String[]::new);
        // the text is converted to the setting's type as the service converts its keys (ModelSettings.bindText)
        return OptionSpec.builder("--" + key).type(String.class).description(description).paramLabel(label(type)).build();
    }

    private static String meaning(ModelKind kind, String key) {
        Setting setting = ModelSettings.components(kind.spec().settingsType()).get(key).getAnnotation(Setting.class);
        return setting == null ? key : setting.value();
    }

    private static String label(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants()).map(ModelSettings::display).collect(Collectors.joining("|"));
        }
        if (type == int[].class) {
            return "<n,n,...>";
        }
        if (type == String[].class) {
            return "<a,b,...>";
        }
        return "<" + (type == double.class ? "number" : type.getSimpleName()) + ">";
    }

    /**
     * The chosen model's settings: its defaults where an option is not given (the defaults object itself
     * when none is), validated.
     *
     * @throws CommandLine.ParameterException for an option of another model, or a value out of its range
     */
    static Record settings(ModelKind kind, ParseResult parsed, Validator validator) {
        List<String> own = ModelSettings.keys(kind.spec().settingsType());
        List<String> foreign = parsed.matchedOptions().stream().map(OptionSpec::longestName)
                .filter(name -> isModelOption(name) && !own.contains(name.substring(2))).toList();
        if (!foreign.isEmpty()) {
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), String.join(", ", foreign)
                    + (foreign.size() == 1 ? " is not a setting" : " are not settings") + " of " + kind + "; its settings: "
                    + own.stream().map(k -> "--" + k).collect(Collectors.joining(", ")));
        }
        try {
            Record bound = ModelSettings.bindText(kind.spec().defaults(),
                    key -> parsed.hasMatchedOption("--" + key) ? parsed.matchedOptionValue("--" + key, null) : null, key -> "--" + key);
            return ModelSettings.validate(bound, validator, key -> "--" + key);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), e.getMessage());
        }
    }

    /** The settings of {@code kind}: its defaults with the values given by setting name ({@code bench --set}). */
    static Record settings(ModelKind kind, Map<String, String> given, Validator validator) {
        return ModelSettings.withValues(kind, given, validator, key -> "--set " + key);
    }

    private static boolean isModelOption(String name) {
        return Arrays.stream(ModelKind.values())
                .anyMatch(kind -> ModelSettings.components(kind.spec().settingsType()).containsKey(name.substring(2)));
    }
}
