package io.seqclust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.Fit;
import io.seqclust.clustering.KChoice;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.evaluation.Datasets;
import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code evaluate}: trains a model on a labelled set without its labels and scores the result against
 * them: ACC (Hungarian), NMI, Rand index; k is the number of classes. It also prints what the model chose
 * among (each restart, each selection rule), scored for this report only: nothing uses those scores to choose.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Trains a model on a labelled UCR/UEA set without its labels, then scores its clusters against"
                + " them (ACC, NMI, Rand index). k is the number of classes. With --suite: every chosen model with its"
                + " defaults, on every chosen set, several seeds, both protocols, and a Markdown report.", ""})
final class EvaluateCommand implements Callable<Integer> {

    enum Protocol {
        /** TRAIN and TEST merged, trained on and scored. */
        MERGED,
        /** The DTCR paper's: train on TRAIN, assign TEST with the trained model, score TEST. */
        PAPER,
        BOTH
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "<dir>", description = "directory of the sets")
    private Path data;

    @Option(names = "--name", paramLabel = "<set>",
            description = "the set: <data>/<set>/<set>_TRAIN and _TEST (.ts or NaN-padded .tsv), or <data>/<set>.ts")
    private String name;

    @Option(names = "--suite", description = "run the suite instead of one set (see --sets, --models, --seeds, --markdown)")
    private boolean suite;

    @Option(names = "--sets", split = ",", paramLabel = "<set,...>", description = "the suite's sets (default: every set under --data)")
    private List<String> sets;

    @Option(names = "--models", split = ",", paramLabel = "<model,...>", converter = ModelConverter.class,
            description = "the suite's models (default: every model: ${COMPLETION-CANDIDATES})")
    private List<ModelKind> models;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "<n>", description = "the suite's seeds: 1..n")
    private int seeds;

    @Option(names = "--markdown", paramLabel = "<file>", description = "the suite's report as a Markdown table")
    private Path markdown;

    @Option(names = "--k", paramLabel = "classes|auto", defaultValue = "classes",
            description = "the number of clusters: the set's class count, or auto (chosen without labels within --k-min..--k-max;"
                    + " with --suite, run as well as the class count, and compared)")
    private String k;

    @Option(names = "--k-min", defaultValue = KChoice.DEFAULT_MIN, paramLabel = "<n>", description = "the smallest k auto considers")
    private int kMin;

    @Option(names = "--k-max", defaultValue = KChoice.DEFAULT_MAX, paramLabel = "<n>", description = "the largest k auto considers")
    private int kMax;

    @Option(names = "--model", paramLabel = "<model>", converter = ModelConverter.class, defaultValue = ModelKind.DEFAULT_ID,
            description = "the model: ${COMPLETION-CANDIDATES}")
    private ModelKind model;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "<n>", description = "training seed")
    private long seed;

    @Option(names = "--protocol", paramLabel = "merged|paper|both", defaultValue = "merged",
            description = "merged: train on TRAIN and TEST together and score them; paper: train on TRAIN, score TEST;"
                    + " both")
    private Protocol protocol;

    @Option(names = "--json", paramLabel = "<file>", description = "also write the report as JSON here")
    private Path json;

    @Override
    public Integer call() throws Exception {
        if (suite) {
            return suite();
        }
        if (name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--name is required (or --suite)");
        }
        Record settings = ModelOptions.settings(model, spec.commandLine().getParseResult(), ModelSettings.validator());
        LabelledSet set = LabelledSet.read(data, name);
        int classes = set.classes();
        KChoice choice = autoK() ? KChoice.AUTO : new KChoice(classes);
        System.out.printf("%s: %d sequences, D=%d, %d classes, k %s, lengths %d..%d%n", set.name(), set.sequences().size(),
                set.sequences().get(0)[0].length, classes, choice.auto() ? "auto (" + kMin + ".." + kMax + ")" : classes,
                set.sequences().stream().mapToInt(x -> x.length).min().orElse(0),
                set.sequences().stream().mapToInt(x -> x.length).max().orElse(0));
        System.out.printf("%s %s, seed %d%n", model, ModelSettings.displayed(settings), seed);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", set.name());
        report.put("model", model.id());
        report.put("n", set.sequences().size());
        report.put("classes", classes);
        report.put("k", choice.toString());
        report.put("seed", seed);
        report.put("settings", ModelSettings.describe(settings));
        long t0 = System.nanoTime();
        if (protocol != Protocol.PAPER) {
            Printer printer = new Printer();
            Fit fit = choice.algorithm(model.spec(), settings, kMin, kMax).fit(set.sequences(), seed, printer);
            double seconds = (System.nanoTime() - t0) / 1e9;
            report.put("chosenK", fit.assigner().k());
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (Fit.Candidate c : fit.candidates()) {
                if (c.labels() == null) {
                    System.out.printf("  %s%n", c.name());
                    candidates.add(Map.of("name", c.name()));
                    continue;
                }
                ClusteringScores s = ClusteringScores.of(set.labels(), c.labels());
                System.out.printf("  %-15s loss %.4f (scored only for this report: %s)%n", c.name(), c.loss(), s);
                candidates.add(Map.of("name", c.name(), "loss", c.loss(), "scores", s));
            }
            ClusteringScores scores = ClusteringScores.of(set.labels(), fit.labels());
            System.out.printf("%s, TRAIN and TEST merged: %s, k = %d, trained in %.2f s%n", model, scores, fit.assigner().k(), seconds);
            report.put("candidates", candidates);
            report.put("scores", scores);
            report.put("trainingSeconds", seconds);
        }
        if (protocol != Protocol.MERGED) {
            int cut = set.trainSize();
            if (cut >= set.sequences().size()) {
                throw new IllegalArgumentException(set.name() + " has no TEST file for --protocol " + ModelSettings.display(protocol));
            }
            Assigner trained = choice.algorithm(model.spec(), settings, kMin, kMax).fit(set.sequences().subList(0, cut), seed,
                    new Printer()).assigner();
            List<double[][]> test = set.sequences().subList(cut, set.sequences().size());
            int[] predicted = test.stream().mapToInt(x -> Activations.argmax(trained.probabilities(x))).toArray();
            ClusteringScores scores = ClusteringScores.of(Arrays.copyOfRange(set.labels(), cut, set.labels().length), predicted);
            System.out.printf("%s, trained on TRAIN (%d), scored on TEST (%d): %s%n", model, cut, test.size(), scores);
            report.put("testScores", scores);
        }
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        }
        return 0;
    }

    /** Runs the suite, prints a line per run, writes the JSON and Markdown reports asked for. */
    private int suite() throws Exception {
        List<ModelKind> chosen = models == null || models.isEmpty() ? List.of(ModelKind.values()) : models;
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream().filter(o -> o.group() != null)
                .map(CommandLine.Model.OptionSpec::longestName).toList();
        if (name != null || !given.isEmpty() && chosen.size() != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--suite runs on every set or --sets (no --name), each"
                    + " model with its defaults; model settings only with a single --models");
        }
        Map<ModelKind, Record> settings = given.isEmpty() ? Map.of()
                : Map.of(chosen.get(0), ModelOptions.settings(chosen.get(0), spec.commandLine().getParseResult(), ModelSettings.validator()));
        List<String> names = Suite.choose(Datasets.names(data), sets);
        long t0 = System.nanoTime();
        List<Suite.Run> runs = Suite.run(set -> LabelledSet.read(data, set), names, chosen, settings, seeds,
                autoK() ? new Suite.AutoRange(kMin, kMax) : null, System.out);
        String command = "evaluate --suite" + (sets == null ? "" : " --sets " + String.join(",", sets)) + " --models "
                + chosen.stream().map(ModelKind::id).collect(Collectors.joining(",")) + " --seeds " + seeds
                + (autoK() ? " --k auto --k-min " + kMin + " --k-max " + kMax : "")
                + settings.values().stream().flatMap(s -> ModelSettings.displayed(s).entrySet().stream())
                .filter(e -> given.contains("--" + e.getKey())).map(e -> " --" + e.getKey() + " " + e.getValue())
                .collect(Collectors.joining());
        String report = Suite.markdown(runs, chosen.stream().map(ModelKind::id).toList(), Datasets.paddedKMeans(data), command);
        System.out.println();
        System.out.println(report);
        System.out.printf("%d runs in %.0f s%n", runs.size(), (System.nanoTime() - t0) / 1e9);
        if (markdown != null) {
            Files.writeString(markdown, report);
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), runs);
        }
        return 0;
    }

    private boolean autoK() {
        if (k.equalsIgnoreCase("auto")) {
            return true;
        }
        if (!k.equalsIgnoreCase("classes")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--k is classes or auto, was " + k);
        }
        return false;
    }

    /** Prints progress about ten times a training. */
    private static final class Printer implements TrainingProgress {
        @Override
        public void report(Progress p) {
            if (p.atTenth()) {
                System.out.println("  " + p);
            }
        }
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<ModelKind> {
        @Override
        public ModelKind convert(String value) {
            return ModelKind.of(value);
        }
    }
}
