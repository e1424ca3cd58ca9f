package io.seqclust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.Fit;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: trains a model on a labelled set without its labels and scores the result against
 * them: ACC (Hungarian), NMI, Rand index; k is the number of classes. It also prints what the model chose
 * among (each restart, each selection rule), scored for this report only: nothing uses those scores to choose.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Trains a model on a labelled UCR/UEA set without its labels, then scores its clusters against"
                + " them (ACC, NMI, Rand index). k is the number of classes.", ""})
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

    @Option(names = "--name", required = true, paramLabel = "<set>",
            description = "the set: <data>/<set>/<set>_TRAIN and _TEST (.ts or NaN-padded .tsv), or <data>/<set>.ts")
    private String name;

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
        Record settings = ModelOptions.settings(model, spec.commandLine().getParseResult(), ModelSettings.validator());
        LabelledSet set = LabelledSet.read(data, name);
        int k = set.classes();
        System.out.printf("%s: %d sequences, D=%d, k=%d classes, lengths %d..%d%n", set.name(), set.sequences().size(),
                set.sequences().get(0)[0].length, k, set.sequences().stream().mapToInt(x -> x.length).min().orElse(0),
                set.sequences().stream().mapToInt(x -> x.length).max().orElse(0));
        System.out.printf("%s %s, seed %d%n", model, ModelSettings.displayed(settings), seed);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", set.name());
        report.put("model", model.id());
        report.put("n", set.sequences().size());
        report.put("k", k);
        report.put("seed", seed);
        report.put("settings", ModelSettings.describe(settings));
        long t0 = System.nanoTime();
        if (protocol != Protocol.PAPER) {
            Printer printer = new Printer();
            Fit fit = model.spec().create(settings, k).fit(set.sequences(), seed, printer);
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (Fit.Candidate c : fit.candidates()) {
                ClusteringScores s = ClusteringScores.of(set.labels(), c.labels());
                System.out.printf("  %-15s loss %.4f (scored only for this report: %s)%n", c.name(), c.loss(), s);
                candidates.add(Map.of("name", c.name(), "loss", c.loss(), "scores", s));
            }
            ClusteringScores scores = ClusteringScores.of(set.labels(), fit.labels());
            System.out.printf("%s, TRAIN and TEST merged: %s, %.2f s/epoch%n", model, scores, printer.secondsPerEpoch());
            report.put("candidates", candidates);
            report.put("scores", scores);
            report.put("secondsPerEpoch", printer.secondsPerEpoch());
        }
        if (protocol != Protocol.MERGED) {
            int cut = set.trainSize();
            if (cut >= set.sequences().size()) {
                throw new IllegalArgumentException(set.name() + " has no TEST file for --protocol " + ModelSettings.display(protocol));
            }
            Assigner trained = model.spec().create(settings, k).fit(set.sequences().subList(0, cut), seed, new Printer()).assigner();
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

    /** Prints progress about ten times a training, and remembers the pace. */
    private static final class Printer implements TrainingProgress {

        private Progress last;

        @Override
        public void report(Progress p) {
            last = p;
            if (p.atTenth()) {
                System.out.println("  " + p);
            }
        }

        double secondsPerEpoch() {
            return last == null ? Double.NaN : last.secondsPerEpoch();
        }
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<ModelKind> {
        @Override
        public ModelKind convert(String value) {
            return ModelKind.of(value);
        }
    }
}
