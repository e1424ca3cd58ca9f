package io.seqclust.cli;

import io.seqclust.clustering.ModelKind;
import io.seqclust.evaluation.Datasets;
import io.seqclust.evaluation.LabelledSet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteTest {

    private static final Path DATA = Path.of("../shared/datasets");

    @Test
    void findsEverySetAndIndexBaselines() {
        List<String> names = Datasets.names(DATA);
        assertTrue(names.contains("Coffee") && names.contains("CharacterTrajectoriesSubset_dtwclust/CharTrajMV"), names.toString());
        assertTrue(names.containsAll(Datasets.DTCR_TABLE), "the DTCR table's sets are all here");
        Map<String, Datasets.Baseline> baselines = Datasets.paddedKMeans(DATA);
        assertEquals(0.589, baselines.get("ArrowHead").randIndex(), 1e-12);
        assertEquals(0.893, baselines.get("Coffee").acc(), 1e-12);
    }

    /** Two quick models on a real set, both protocols, two seeds: a line per run and a table that adds up. */
    @Test
    void runsAndReports() {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        List<Suite.Run> runs = Suite.run(name -> LabelledSet.read(DATA, name), List.of("Coffee"),
                List.of(ModelKind.KMEANS_AVG, ModelKind.KMEANS), Map.of(), 2, null, new PrintStream(lines));
        assertEquals(2 * 2 * 2, runs.size(), "models × seeds × protocols");
        assertEquals(8, lines.toString().lines().filter(l -> l.startsWith("[")).count());
        double mean = runs.stream().filter(r -> r.model().equals("kmeans") && r.protocol().equals(Suite.MERGED))
                .mapToDouble(r -> r.scores().randIndex()).average().orElseThrow();
        String md = Suite.markdown(runs, List.of("kmeans-avg", "kmeans"), Datasets.paddedKMeans(DATA), "evaluate --suite …");
        assertTrue(md.contains(String.format("| Coffee | 56 | 2 | 1 |")), md);
        assertTrue(md.contains(String.format("%.3f |", mean)), md);
        assertTrue(md.contains("0.893 / 0.541 / 0.805"), "INDEX.md's padded k-means: " + md);
    }

    /** Automatic k beside the class count: each chosen k is reported, with the NMI each gives. */
    @Test
    void automaticKIsRunAndComparedWithTheClassCount() {
        List<Suite.Run> runs = Suite.run(name -> LabelledSet.read(DATA, name), List.of("Coffee"), List.of(ModelKind.KMEANS), Map.of(), 1,
                new Suite.AutoRange(2, 4), new PrintStream(new ByteArrayOutputStream()));
        Suite.Run auto = runs.stream().filter(r -> r.protocol().equals(Suite.AUTO_K)).findFirst().orElseThrow();
        assertTrue(auto.chosenK() >= 2 && auto.chosenK() <= 4, String.valueOf(auto));
        String md = Suite.markdown(runs, List.of("kmeans"), Map.of(), "x");
        assertTrue(md.contains("| Coffee | 2 | " + auto.chosenK() + " | "), md);
        assertTrue(md.contains("runs that chose the class count"), md);
    }

    @Test
    void aFailingRunIsReportedNotFatal() {
        LabelledSet tiny = new LabelledSet("tiny", List.of(new double[][] {{1}}, new double[][] {{2}}), new int[] {0, 1}, 2, 2);
        Suite.Run run = Suite.one(tiny, ModelKind.RDDC, ModelKind.RDDC.spec().defaults(), 1, Suite.MERGED, null);
        assertTrue(run.error() != null && run.scores() == null, String.valueOf(run));
        String md = Suite.markdown(List.of(run), List.of("rddc"), Map.of(), "x");
        assertTrue(md.contains("failed"), md);
    }
}
