package io.seqclust.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The labelled sets of a data folder (as {@link LabelledSet#read} names them) and INDEX.md's k-means baselines. */
public final class Datasets {

    /** The 15 sets of the DTCR paper's table that the data folder holds: the published reference points. */
    public static final List<String> DTCR_TABLE = List.of("ArrowHead", "Beef", "Coffee", "DiatomSizeReduction",
            "DistalPhalanxOutlineAgeGroup", "ECG200", "ECGFiveDays", "GunPoint", "Meat", "MiddlePhalanxTW", "OSULeaf", "Plane",
            "ProximalPhalanxOutlineAgeGroup", "SonyAIBORobotSurface1", "TwoLeadECG");

    /** INDEX.md's k-means on zero-padded, flattened series (mean of 3 seeds). */
    public record Baseline(double acc, double nmi, double randIndex) {
    }

    private Datasets() {
    }

    /**
     * Every set under {@code dir}, sorted: a folder {@code X} with {@code X_TRAIN}/{@code X_TEST} files is
     * {@code X}; single {@code .ts}/{@code .tsv} files in a folder {@code X} are {@code X/file}.
     */
    public static List<String> names(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                String name = folder.getFileName().toString();
                try (Stream<Path> files = Files.list(folder)) {
                    List<String> singles = new ArrayList<>();
                    boolean split = false;
                    for (Path f : files.sorted().toList()) {
                        String file = f.getFileName().toString();
                        split |= file.startsWith(name + "_TRAIN.") || file.startsWith(name + "_TEST.");
                        if (file.endsWith(".ts") || file.endsWith(".tsv")) {
                            singles.add(name + "/" + file.substring(0, file.lastIndexOf('.')));
                        }
                    }
                    if (split) {
                        out.add(name);
                    } else {
                        out.addAll(singles);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sets under " + dir, e);
        }
        return out;
    }

    /** The padded k-means columns of {@code dir/INDEX.md}'s baseline table, by set; empty when there is none. */
    public static Map<String, Baseline> paddedKMeans(Path dir) {
        Map<String, Baseline> out = new LinkedHashMap<>();
        Path index = dir.resolve("INDEX.md");
        if (!Files.exists(index)) {
            return out;
        }
        try {
            boolean inTable = false;
            for (String line : Files.readAllLines(index)) {
                if (line.startsWith("## ")) {
                    inTable = line.contains("k-means baselines");
                } else if (inTable && line.startsWith("| ") && !line.startsWith("| dataset")) {
                    String[] cells = line.split("\\|");
                    // | dataset | N | k | D | len | pad ACC | pad NMI | pad RI | …
                    out.put(cells[1].trim(), new Baseline(number(cells[6]), number(cells[7]), number(cells[8])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static double number(String cell) {
        String v = cell.trim();
        int pm = v.indexOf('±');
        return Double.parseDouble(pm < 0 ? v : v.substring(0, pm));
    }
}
