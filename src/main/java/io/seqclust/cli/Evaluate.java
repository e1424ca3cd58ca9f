package io.seqclust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.clustering.Dtcr;
import io.seqclust.clustering.Rddc;
import io.seqclust.clustering.TrainingProgress;
import io.seqclust.model.EncoderEngine;
import io.seqclust.model.Gru;
import io.seqclust.clustering.RunSelection;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.Softmax;
import io.seqclust.model.SequenceDecoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate}: trains a model on a labelled set (TRAIN and TEST merged) without its labels and
 * scores the result against them: ACC (Hungarian), NMI, Rand index. k is the number of classes.
 * For rddc it also prints each restart's loss and what every selection rule would choose, so the
 * rules can be compared; per-run scores are printed for that comparison only, never used to choose.
 */
public final class Evaluate {

    private Evaluate() {
    }

    public static void run(Args args) throws Exception {
        LabelledSet set = LabelledSet.read(Path.of(args.required("data")), args.required("name"));
        String model = args.string("model", Rddc.NAME);
        long seed = args.longValue("seed", 1);
        int k = set.classes();
        System.out.printf("%s: %d sequences, D=%d, k=%d classes, lengths %d..%d%n", set.name(), set.sequences().size(),
                set.sequences().get(0)[0].length, k, set.sequences().stream().mapToInt(x -> x.length).min().orElse(0),
                set.sequences().stream().mapToInt(x -> x.length).max().orElse(0));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", set.name());
        report.put("model", model);
        report.put("n", set.sequences().size());
        report.put("k", k);
        report.put("seed", seed);
        long t0 = System.nanoTime();
        if (model.equals(KMeansAvg.NAME)) {
            Assigner a = new KMeansAvg(k, 10, 100).train(set.sequences(), seed, (s, t, l) -> { });
            int[] labels = set.sequences().stream().mapToInt(x -> Softmax.argmax(a.probabilities(x))).toArray();
            ClusteringScores scores = ClusteringScores.of(set.labels(), labels);
            System.out.printf("kmeans-avg: %s%n", scores);
            report.put("scores", scores);
        } else if (model.equals(Rddc.NAME)) {
            Rddc.Settings settings = Rddc.Settings.defaults(k)
                    .withEpochs(args.integer("epochs", 50))
                    .withRestarts(args.integer("runs", 5))
                    .withLearningRate(Double.parseDouble(args.string("lr", "1e-3")))
                    .withSelection(RunSelection.valueOf(args.string("selection", RunSelection.vote.name())))
                    .withNormalization(Rddc.Normalization.valueOf(args.string("normalization", Rddc.Normalization.channel.name())))
                    .withEngine(EncoderEngine.Kind.valueOf(args.string("engine", EncoderEngine.Kind.auto.name())))
                    .withGruInit(Gru.Init.valueOf(args.string("gru-init", Rddc.Settings.defaults(k).gruInit().name())));
            report.put("settings", settings);
            System.out.printf("rddc: %d runs x %d epochs, lr %s, selection %s, %s normalisation, %s GRU init, %s engine, seed %d%n",
                    settings.restarts(), settings.epochs(), settings.learningRate(), settings.selection(),
                    settings.normalization(), settings.gruInit(), settings.engine().resolve(), seed);
            Rddc.Outcome outcome = new Rddc(settings).fit(set.sequences(), seed, printer(t0, settings.epochs()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int r = 0; r < outcome.runs().size(); r++) {
                RunSelection.Run run = outcome.runs().get(r);
                ClusteringScores s = ClusteringScores.of(set.labels(), run.labels());
                System.out.printf("  run %d: loss %.4f (scored only for this report: %s)%n", r + 1, run.loss(), s);
                runs.add(Map.of("loss", run.loss(), "scores", s));
            }
            report.put("runs", runs);
            Map<String, Object> rules = new LinkedHashMap<>();
            for (RunSelection rule : RunSelection.values()) {
                ClusteringScores s = ClusteringScores.of(set.labels(), rule.labels(outcome.runs(), k));
                System.out.printf("  rule %-9s -> %s%s%n", rule, s, rule == settings.selection() ? "  (chosen)" : "");
                rules.put(rule.name(), s);
            }
            report.put("rules", rules);
            ClusteringScores chosen = ClusteringScores.of(set.labels(), outcome.labels());
            report.put("scores", chosen);
            report.put("secondsPerEpoch", seconds / (settings.epochs() * settings.restarts()));
            System.out.printf("rddc (%s): %s, %.2f s/epoch%n", settings.selection(), chosen,
                    seconds / (settings.epochs() * settings.restarts()));
        } else if (model.equals(Dtcr.NAME)) {
            Dtcr.Settings defaults = Dtcr.Settings.defaults(k);
            Dtcr.Settings settings = defaults
                    .withEpochs(args.integer("epochs", 50))
                    .withLearningRate(Double.parseDouble(args.string("lr", "1e-3")))
                    .withLambda(Double.parseDouble(args.string("lambda", "0.1")))
                    .withNormalization(Rddc.Normalization.valueOf(args.string("normalization", Rddc.Normalization.channel.name())))
                    .withDecoder(SequenceDecoder.Feed.valueOf(args.string("decoder",
                                    defaults.decoder().name()).toUpperCase().replace('-', '_')),
                            Double.parseDouble(args.string("input-noise", String.valueOf(defaults.inputNoise()))))
                    .withEngine(EncoderEngine.Kind.valueOf(args.string("engine", EncoderEngine.Kind.auto.name())));
            report.put("settings", settings);
            System.out.printf("dtcr: units %s, dilations %s, %d epochs, lr %s, lambda %s, %s normalisation, %s decoder, input noise %s,"
                            + " %s engine, seed %d%n",
                    java.util.Arrays.toString(settings.units()), java.util.Arrays.toString(settings.dilations()),
                    settings.epochs(), settings.learningRate(), settings.lambda(), settings.normalization(),
                    settings.decoder(), settings.inputNoise(), settings.engine().resolve(), seed);
            String protocol = args.string("protocol", "merged");
            if (protocol.equals("merged") || protocol.equals("both")) {
                Dtcr.Outcome outcome = new Dtcr(settings).fit(set.sequences(), seed, printer(t0, settings.epochs()));
                ClusteringScores scores = ClusteringScores.of(set.labels(), outcome.labels());
                System.out.printf("dtcr, TRAIN and TEST merged: %s, %.2f s/epoch%n", scores,
                        (System.nanoTime() - t0) / 1e9 / settings.epochs());
                report.put("scores", scores);
            }
            if (protocol.equals("paper") || protocol.equals("both")) {
                // the paper's protocol: train on TRAIN, assign TEST with the trained model, score TEST
                int cut = set.trainSize();
                if (cut >= set.sequences().size()) {
                    throw new IllegalArgumentException(set.name() + " has no TEST file for --protocol " + protocol);
                }
                long t1 = System.nanoTime();
                Assigner trained = new Dtcr(settings).train(set.sequences().subList(0, cut), seed, printer(t1, settings.epochs()));
                List<double[][]> test = set.sequences().subList(cut, set.sequences().size());
                int[] predicted = test.stream().mapToInt(x -> Softmax.argmax(trained.probabilities(x))).toArray();
                ClusteringScores scores = ClusteringScores.of(java.util.Arrays.copyOfRange(set.labels(), cut, set.labels().length), predicted);
                System.out.printf("dtcr, trained on TRAIN (%d), scored on TEST (%d): %s%n", cut, test.size(), scores);
                report.put("testScores", scores);
            }
        } else {
            throw new IllegalArgumentException("--model must be rddc, dtcr or kmeans-avg, was " + model);
        }
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (args.has("json")) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args.string("json", "")).toFile(), report);
        }
    }

    /** Logs epoch, loss, seconds per epoch and ETA about ten times per run. */
    private static TrainingProgress printer(long t0, int epochsPerRun) {
        return (epoch, total, loss) -> {
            double perEpoch = (System.nanoTime() - t0) / 1e9 / epoch;
            if (epoch % Math.max(1, epochsPerRun / 10) == 0 || epoch == total) {
                System.out.printf("  epoch %d/%d (run %d): loss %.4f, %.2f s/epoch, ETA %.0f s%n", epoch, total,
                        (epoch - 1) / epochsPerRun + 1, loss, perEpoch, perEpoch * (total - epoch));
            }
        };
    }
}
