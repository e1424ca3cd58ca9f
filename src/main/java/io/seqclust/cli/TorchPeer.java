package io.seqclust.cli;

import io.seqclust.clustering.Rddc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch peer of {@code bench}'s RDDC training step: the script {@code bench/rddc_step.py} (the same
 * network and loss, packed sequences) run by a Python that has torch (Debian's {@code python3-torch}) on the
 * batch the Java engine is timed on, so that the ratio is measured in one run.
 */
final class TorchPeer {

    private static final String SCRIPT = "/bench/rddc_step.py";
    private static final Pattern LINE = Pattern.compile("threads (\\d+): ([0-9.]+) ms/step");

    /** One thread count's time per step. */
    record Timing(int threads, double ms) {
    }

    private final String python;
    private final String version;

    private TorchPeer(String python, String version) {
        this.python = python;
        this.version = version;
    }

    /** The first of the given Pythons that imports torch, if any. */
    static Optional<TorchPeer> find(List<String> pythons) {
        for (String python : pythons) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(new TorchPeer(python, out));
                }
            } catch (IOException e) {
                // not installed under that name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    String describe() {
        return "PyTorch " + version + " (" + python + ")";
    }

    /**
     * Times the peer's step on the batch, with each thread count in turn (5 untimed steps first).
     *
     * @throws IOException when the script fails or prints nothing that reads as a time
     */
    List<Timing> time(List<double[][]> batch, int k, Rddc.Settings settings, int steps, List<Integer> threads)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("seqclust-peer");
        try {
            Path script = dir.resolve("rddc_step.py");
            try (InputStream in = TorchPeer.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the application");
                }
                Files.copy(in, script);
            }
            Path data = dir.resolve("batch.txt");
            Files.writeString(data, batchText(batch, k));
            List<String> command = new ArrayList<>(List.of(python, script.toString(), data.toString(),
                    Integer.toString(settings.hiddenUnits()), Integer.toString(settings.layers()),
                    Integer.toString(settings.denseUnits()), Double.toString(settings.learningRate()),
                    Double.toString(settings.clipNorm()), Integer.toString(steps)));
            threads.forEach(t -> command.add(Integer.toString(t)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            // glibc's malloc returns each large freed tensor to the kernel and page-faults it back on the next
            // allocation; told to keep freed memory, the peer ran the JapaneseVowels step 1.6x as fast here
            // (101 -> 65 ms), and the peer gets its best configuration. The caller's own values win.
            for (String name : List.of("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")) {
                pb.environment().putIfAbsent(name, "4294967296");
            }
            pb.environment().putIfAbsent("MALLOC_TOP_PAD_", "536870912");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<Timing> timings = new ArrayList<>();
            Matcher m = LINE.matcher(out);
            while (m.find()) {
                timings.add(new Timing(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2))));
            }
            if (p.exitValue() != 0 || timings.size() != threads.size()) {
                throw new IOException("the PyTorch peer failed (exit " + p.exitValue() + "): " + out.strip());
            }
            return timings;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** The script's input: "k D", then one line per sequence with its values row by row. */
    static String batchText(List<double[][]> batch, int k) {
        StringBuilder sb = new StringBuilder().append(k).append(' ').append(batch.get(0)[0].length).append('\n');
        for (double[][] x : batch) {
            for (double[] row : x) {
                for (double v : row) {
                    sb.append(String.format(Locale.ROOT, "%.7g ", v));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
