package io.seqclust.cli;

import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.AutoK;
import io.seqclust.clustering.Fit;
import io.seqclust.clustering.KChoice;
import io.seqclust.clustering.ModelKind;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.evaluation.Datasets;
import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.train.TrainingProgress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * {@code evaluate --suite}: every chosen model, with its default settings (or those given, for one model), on every chosen set, for several
 * seeds, in both protocols (TRAIN and TEST merged; trained on TRAIN, scored on TEST where there is a TEST
 * file), and a Markdown report next to INDEX.md's padded k-means.
 */
final class Suite {

    static final String MERGED = "merged";
    static final String TRAIN_TEST = "train-test";
    /** Merged, with k chosen by the model ({@link AutoK}) instead of the class count. */
    static final String AUTO_K = "auto-k";

    /**
     * One model on one set with one seed in one protocol; chosenK is the k it trained with (the class count
     * unless the protocol is auto-k); error is why it failed, or null.
     */
    record Run(String set, String model, long seed, String protocol, int n, int k, int dims, int chosenK, ClusteringScores scores,
               double seconds, String error) {
    }

    /** The range automatic k chooses from, or null for none. */
    record AutoRange(int min, int max) {
    }

    private Suite() {
    }

    /** @param settings each model's settings (its defaults unless given) */
    static List<Run> run(LabelledSetSource sets, List<String> names, List<ModelKind> models, Map<ModelKind, Record> settings,
                         int seeds, AutoRange auto, PrintStream out) {
        List<Run> runs = new ArrayList<>();
        int total = names.size() * models.size() * seeds;
        int done = 0;
        for (String name : names) {
            LabelledSet set = sets.read(name);
            for (ModelKind model : models) {
                for (long seed = 1; seed <= seeds; seed++) {
                    done++;
                    List<String> protocols = new ArrayList<>(List.of(MERGED));
                    if (set.trainSize() < set.sequences().size()) {
                        protocols.add(TRAIN_TEST);
                    }
                    if (auto != null) {
                        protocols.add(AUTO_K);
                    }
                    for (String protocol : protocols) {
                        Run run = one(set, model, settings.getOrDefault(model, model.spec().defaults()), seed, protocol, auto);
                        runs.add(run);
                        out.printf("[%d/%d] %s %s seed %d %s: %s (%.1f s)%n", done, total, name, model, seed, protocol,
                                run.error() != null ? "failed: " + run.error()
                                        : run.scores() + (protocol.equals(AUTO_K) ? ", k = " + run.chosenK() : ""), run.seconds());
                    }
                }
            }
        }
        return runs;
    }

    /** Where the sets come from (a folder, in practice). */
    @FunctionalInterface
    interface LabelledSetSource {
        LabelledSet read(String name);
    }

    static Run one(LabelledSet set, ModelKind model, Record settings, long seed, String protocol, AutoRange auto) {
        int k = set.classes();
        int dims = set.sequences().get(0)[0].length;
        long t0 = System.nanoTime();
        int chosenK = k;
        try {
            ClusteringScores scores;
            if (protocol.equals(MERGED)) {
                int[] labels = model.spec().create(settings, k).fit(set.sequences(), seed, TrainingProgress.NONE).labels();
                scores = ClusteringScores.of(set.labels(), labels);
            } else if (protocol.equals(AUTO_K)) {
                Fit fit = KChoice.AUTO.algorithm(model.spec(), settings, auto.min(), auto.max())
                        .fit(set.sequences(), seed, TrainingProgress.NONE);
                chosenK = fit.assigner().k();
                scores = ClusteringScores.of(set.labels(), fit.labels());
            } else {
                int cut = set.trainSize();
                Assigner trained = model.spec().create(settings, k)
                        .fit(set.sequences().subList(0, cut), seed, TrainingProgress.NONE).assigner();
                int[] predicted = set.sequences().subList(cut, set.sequences().size()).stream()
                        .mapToInt(x -> Activations.argmax(trained.probabilities(x))).toArray();
                scores = ClusteringScores.of(Arrays.copyOfRange(set.labels(), cut, set.labels().length), predicted);
            }
            return new Run(set.name(), model.id(), seed, protocol, set.sequences().size(), k, dims, chosenK, scores,
                    (System.nanoTime() - t0) / 1e9, null);
        } catch (RuntimeException e) {
            return new Run(set.name(), model.id(), seed, protocol, set.sequences().size(), k, dims, chosenK, null,
                    (System.nanoTime() - t0) / 1e9, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Per set: each model's mean merged ACC / NMI / RI over the seeds and its mean train→test RI, and INDEX.md's
     * padded k-means; then per model the means over every set and over the DTCR table's 15, the sets it is
     * best on (merged RI), and the sets where it is more than 0.02 RI below the padded k-means.
     */
    static String markdown(List<Run> runs, List<String> models, Map<String, Datasets.Baseline> baselines, String command) {
        List<String> sets = runs.stream().map(Run::set).distinct().toList();
        StringBuilder md = new StringBuilder();
        md.append("Produced by `").append(command).append("`; cells are means over the seeds. Merged: TRAIN and TEST together,"
                + " trained without labels and scored; train→test: trained on TRAIN, TEST assigned and scored.\n\n");
        md.append("| set | N | k | D |");
        models.forEach(m -> md.append(" ").append(m).append(" merged ACC / NMI / RI | ").append(m).append(" train→test RI |"));
        md.append(" k-means, padded (INDEX.md) ACC / NMI / RI |\n|---|---|---|---|");
        models.forEach(m -> md.append("---|---|"));
        md.append("---|\n");
        for (String set : sets) {
            Run any = runs.stream().filter(r -> r.set().equals(set)).findFirst().orElseThrow();
            md.append("| ").append(set).append(" | ").append(any.n()).append(" | ").append(any.k()).append(" | ")
                    .append(any.dims()).append(" |");
            for (String m : models) {
                md.append(" ").append(cell(runs, set, m, MERGED)).append(" | ")
                        .append(format(mean(runs, set, m, TRAIN_TEST, ClusteringScores::randIndex))).append(" |");
            }
            Datasets.Baseline b = baselines.get(set);
            md.append(" ").append(b == null ? "–" : String.format("%.3f / %.3f / %.3f", b.acc(), b.nmi(), b.randIndex())).append(" |\n");
        }
        md.append("\n| model | mean merged ACC / NMI / RI (all sets) | mean merged RI, DTCR table's 15 | mean train→test RI,"
                + " DTCR table's 15 | best merged RI on | > 0.02 RI below padded k-means on |\n|---|---|---|---|---|---|\n");
        Map<String, Double> bestRi = new LinkedHashMap<>();
        for (String set : sets) {
            bestRi.put(set, models.stream().mapToDouble(m -> mean(runs, set, m, MERGED, ClusteringScores::randIndex).orElse(-1))
                    .max().orElse(-1));
        }
        for (String m : models) {
            List<String> wins = sets.stream().filter(s -> mean(runs, s, m, MERGED, ClusteringScores::randIndex).orElse(-2)
                    >= bestRi.get(s) - 1e-12).toList();
            List<String> behind = sets.stream().filter(s -> baselines.containsKey(s) && mean(runs, s, m, MERGED,
                    ClusteringScores::randIndex).orElse(-1) < baselines.get(s).randIndex() - 0.02).toList();
            md.append("| ").append(m).append(" | ")
                    .append(format(meanOver(runs, sets, m, MERGED, ClusteringScores::acc))).append(" / ")
                    .append(format(meanOver(runs, sets, m, MERGED, ClusteringScores::nmi))).append(" / ")
                    .append(format(meanOver(runs, sets, m, MERGED, ClusteringScores::randIndex))).append(" | ")
                    .append(format(meanOver(runs, Datasets.DTCR_TABLE, m, MERGED, ClusteringScores::randIndex))).append(" | ")
                    .append(format(meanOver(runs, Datasets.DTCR_TABLE, m, TRAIN_TEST, ClusteringScores::randIndex))).append(" | ")
                    .append(wins.size()).append(wins.isEmpty() ? "" : " (" + String.join(", ", wins) + ")").append(" | ")
                    .append(behind.size()).append(behind.isEmpty() ? "" : " (" + String.join(", ", behind) + ")").append(" |\n");
        }
        if (runs.stream().anyMatch(r -> r.protocol().equals(AUTO_K))) {
            md.append(autoK(runs, models, sets));
        }
        return md.toString();
    }

    /** Automatic k against the class count: the k chosen per seed, NMI with the class count → with the chosen k. */
    private static String autoK(List<Run> runs, List<String> models, List<String> sets) {
        StringBuilder md = new StringBuilder("\nAutomatic k (merged; k chosen without labels, per seed), against the class count:\n\n| set | k |");
        models.forEach(m -> md.append(" ").append(m).append(" chosen k | ").append(m).append(" NMI, class count → chosen k |"));
        md.append("\n|---|---|");
        models.forEach(m -> md.append("---|---|"));
        md.append("\n");
        for (String set : sets) {
            Run any = runs.stream().filter(r -> r.set().equals(set)).findFirst().orElseThrow();
            md.append("| ").append(set).append(" | ").append(any.k()).append(" |");
            for (String m : models) {
                String chosen = runs.stream().filter(r -> r.set().equals(set) && r.model().equals(m) && r.protocol().equals(AUTO_K)
                        && r.scores() != null).map(r -> Integer.toString(r.chosenK())).collect(Collectors.joining(", "));
                md.append(" ").append(chosen.isEmpty() ? "–" : chosen).append(" | ")
                        .append(format(mean(runs, set, m, MERGED, ClusteringScores::nmi))).append(" → ")
                        .append(format(mean(runs, set, m, AUTO_K, ClusteringScores::nmi))).append(" |");
            }
            md.append("\n");
        }
        md.append("\n| model | runs that chose the class count | mean NMI, class count | mean NMI, chosen k |\n|---|---|---|---|\n");
        for (String m : models) {
            List<Run> auto = runs.stream().filter(r -> r.model().equals(m) && r.protocol().equals(AUTO_K) && r.scores() != null).toList();
            long hits = auto.stream().filter(r -> r.chosenK() == r.k()).count();
            md.append("| ").append(m).append(" | ").append(hits).append(" of ").append(auto.size()).append(" | ")
                    .append(format(meanOver(runs, sets, m, MERGED, ClusteringScores::nmi))).append(" | ")
                    .append(format(meanOver(runs, sets, m, AUTO_K, ClusteringScores::nmi))).append(" |\n");
        }
        return md.toString();
    }

    private static String cell(List<Run> runs, String set, String model, String protocol) {
        OptionalDouble ri = mean(runs, set, model, protocol, ClusteringScores::randIndex);
        if (ri.isEmpty()) {
            return runs.stream().anyMatch(r -> r.set().equals(set) && r.model().equals(model) && r.error() != null) ? "failed" : "–";
        }
        return format(mean(runs, set, model, protocol, ClusteringScores::acc)) + " / "
                + format(mean(runs, set, model, protocol, ClusteringScores::nmi)) + " / " + format(ri);
    }

    /** The mean over the seeds that did not fail. */
    static OptionalDouble mean(List<Run> runs, String set, String model, String protocol, ToDoubleFunction<ClusteringScores> score) {
        return runs.stream().filter(r -> r.set().equals(set) && r.model().equals(model) && r.protocol().equals(protocol)
                && r.scores() != null).mapToDouble(r -> score.applyAsDouble(r.scores())).average();
    }

    /** The mean over the sets (of the per-set means over seeds); empty unless every set has one. */
    private static OptionalDouble meanOver(List<Run> runs, List<String> sets, String model, String protocol,
                                           ToDoubleFunction<ClusteringScores> score) {
        List<OptionalDouble> perSet = sets.stream().map(s -> mean(runs, s, model, protocol, score)).toList();
        if (perSet.isEmpty() || perSet.stream().anyMatch(OptionalDouble::isEmpty)) {
            return OptionalDouble.empty();
        }
        return perSet.stream().mapToDouble(OptionalDouble::getAsDouble).average();
    }

    private static String format(OptionalDouble v) {
        return v.isPresent() ? String.format("%.3f", v.getAsDouble()) : "–";
    }

    /** The sets to run: those named, or every set of the folder. */
    static List<String> choose(List<String> available, List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return available;
        }
        List<String> unknown = asked.stream().filter(s -> !available.contains(s)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no set " + String.join(", ", unknown) + "; the sets are "
                    + available.stream().collect(Collectors.joining(", ")));
        }
        return asked;
    }
}
