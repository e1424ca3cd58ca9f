package io.seqclust.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A labelled time-series set from the UCR/UEA archives, read from {@code .ts} (sktime/UEA text) or
 * {@code .tsv} (UCR 2018, NaN right-padded) files, TRAIN and TEST merged (or a single file).
 * The labels are for scoring only.
 *
 * @param labels    dense class ids, in file order
 * @param trainSize how many of the sequences, first in order, came from the TRAIN file (all of them for a single file)
 */
public record LabelledSet(String name, List<double[][]> sequences, int[] labels, int classes, int trainSize) {

    /** Reads {@code dir/name/name_TRAIN.*} and {@code _TEST.*}, or the single file {@code dir/name.ts}/{@code .tsv}. */
    public static LabelledSet read(Path dir, String name) {
        List<Path> files = new ArrayList<>();
        Path folder = dir.resolve(name);
        String base = folder.getFileName().toString();
        for (String split : List.of("_TRAIN", "_TEST")) {
            for (String ext : List.of(".ts", ".tsv")) {
                Path f = folder.resolve(base + split + ext);
                if (Files.exists(f)) {
                    files.add(f);
                }
            }
        }
        for (String ext : List.of(".ts", ".tsv")) {
            Path single = dir.resolve(name + ext);
            if (files.isEmpty() && Files.exists(single)) {
                files.add(single);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no " + name + "_TRAIN/_TEST .ts or .tsv files, nor " + name + ".ts/.tsv, under " + dir);
        }
        List<double[][]> sequences = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        int trainSize = -1;
        for (Path f : files) {
            if (f.toString().endsWith(".tsv")) {
                readTsv(f, sequences, raw);
            } else {
                readTs(f, sequences, raw);
            }
            if (trainSize < 0) {
                trainSize = sequences.size();
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        int[] labels = raw.stream().mapToInt(l -> ids.computeIfAbsent(l, x -> ids.size())).toArray();
        return new LabelledSet(name, sequences, labels, ids.size(), files.size() == 1 ? sequences.size() : trainSize);
    }

    static void readTs(Path file, List<double[][]> sequences, List<String> labels) {
        boolean data = false;
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (!data) {
                    data = l.equalsIgnoreCase("@data");
                    continue;
                }
                String[] dims = l.split(":");
                labels.add(dims[dims.length - 1].strip());
                double[][] channels = new double[dims.length - 1][];
                int length = Integer.MAX_VALUE;
                for (int d = 0; d < channels.length; d++) {
                    channels[d] = parseValues(dims[d].split(","));
                    length = Math.min(length, channels[d].length);
                }
                sequences.add(steps(channels, length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void readTsv(Path file, List<double[][]> sequences, List<String> labels) {
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t");
                labels.add(cells[0].strip());
                double[] values = parseValues(java.util.Arrays.copyOfRange(cells, 1, cells.length));
                sequences.add(steps(new double[][] {values}, values.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values up to the first trailing NaN or missing value ('?'): a variable-length series' real length. */
    private static double[] parseValues(String[] cells) {
        double[] v = new double[cells.length];
        int n = 0;
        for (String c : cells) {
            String s = c.strip();
            if (s.isEmpty() || s.equals("?") || s.equalsIgnoreCase("NaN")) {
                break;
            }
            v[n++] = Double.parseDouble(s);
        }
        return java.util.Arrays.copyOf(v, n);
    }

    private static double[][] steps(double[][] channels, int length) {
        double[][] x = new double[length][channels.length];
        for (int t = 0; t < length; t++) {
            for (int d = 0; d < channels.length; d++) {
                x[t][d] = channels[d][t];
            }
        }
        return x;
    }
}
