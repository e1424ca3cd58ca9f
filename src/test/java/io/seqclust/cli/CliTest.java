package io.seqclust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    /** The exit code, what the command printed through picocli (help, usage errors), and on standard output. */
    private record Run(int exit, String out, String err, String printed) {
    }

    private static Run run(String... args) {
        CommandLine cli = Cli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString(), "");
    }

    /** As {@link #run}, capturing what the command prints on standard output (and echoing it). */
    private static Run runPrinting(String... args) {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        Run r;
        try {
            r = run(args);
        } finally {
            System.setOut(stdout);
        }
        String out = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(r.exit(), r.out(), r.err(), out);
    }

    @Test
    void evaluateHelpListsEveryModelSettingWithEachModelsDefault() {
        Run help = run("evaluate", "--help");
        assertEquals(0, help.exit());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : new String[] {"--data", "--name", "--model", "--seed", "--protocol", "--json"}) {
            assertTrue(text.contains(option), option);
        }
        assertTrue(text.contains("Default: ../shared/datasets") && text.contains("Default: " + ModelKind.DEFAULT_ID), text);
        for (ModelKind kind : ModelKind.values()) {
            ModelSettings.displayed(kind.spec().defaults()).forEach((key, value) -> {
                // the option's own text: from its name to the next option
                int from = text.indexOf("--" + key + "=", text.indexOf("Model settings ("));
                assertTrue(from >= 0, "--" + key);
                int to = text.indexOf(" --", from + 2);
                String option = text.substring(from, to < 0 ? text.length() : to);
                // "rddc, dtcr: Adam's learning rate (default 0.001)", never reading past a "(default"
                assertTrue(option.matches(".*[ ,]" + kind.id() + "(, [a-z-]+)*: ((?!\\(default ).)*\\(default "
                        + java.util.regex.Pattern.quote(value) + "\\).*"), kind + " " + key + " default " + value + " in: " + option);
            });
        }
    }

    @Test
    void benchHelpListsEveryOptionWithItsDefault() {
        Run help = run("bench", "--help");
        assertEquals(0, help.exit());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : new String[] {"--steps=<n> timed rddc/dtcr training steps per measurement (after untimed ones for at least 5 steps and 3 s); 0 skips them Default: 30",
                "--model", "--window", "Default: 500",
                "--data", "Default: ../shared/datasets", "--engine", "--memory-steps", "Default: 0", "--memory-model",
                "Default: rddc", "--memory-synthetic"}) {
            assertTrue(text.contains(option), option + " in " + text);
        }
    }

    /** A small run on the embedded broker: both topologies measured, the ratio and the added p99 printed. */
    @Test
    void benchOnlineMeasuresTheAssignmentTopologyAgainstAnIdentityOneInTheSameRun() {
        Run r = runPrinting("bench", "--online", "--model", "kmeans-avg", "--window", "100", "--count", "300", "--rate", "100",
                    "--seconds", "2", "--length", "20", "--dims", "2", "--rounds", "2");
        String out = r.printed();
        assertEquals(0, r.exit(), r.err() + out);
        assertTrue(out.contains("round 2, identity topology: ") && out.contains("round 2, seqclust (kmeans-avg) topology: "), out);
        assertFalse(out.contains("round 3,"), "two rounds asked for: " + out);
        assertTrue(out.contains("(best of 2 rounds each)"), out);
        java.util.regex.Matcher ratio = java.util.regex.Pattern.compile("throughput ratio (\\d+\\.\\d+)").matcher(out);
        assertTrue(ratio.find() && Double.parseDouble(ratio.group(1)) > 0, out);
        java.util.regex.Matcher cpu = java.util.regex.Pattern.compile("CPU per record: identity (\\d+\\.\\d+) ms, seqclust \\(kmeans-avg\\)"
                + " (\\d+\\.\\d+) ms \\(\\d+\\.\\d\\d×; least of 2 rounds each\\)").matcher(out);
        assertTrue(cpu.find() && Double.parseDouble(cpu.group(1)) > 0 && Double.parseDouble(cpu.group(2)) > 0, out);
        assertTrue(out.matches("(?s).*added p99 -?\\d+\\.\\d ms.*"), out);
        assertTrue(out.matches("(?s).*added p99 per round: [-+]\\d+\\.\\d / [-+]\\d+\\.\\d ms; the identity's own p99"
                + " across rounds: \\d+\\.\\d to \\d+\\.\\d ms.*"), out);
        assertTrue(out.matches("(?s).*in the topology .*: p50 \\d+\\.\\d\\d ms, p99 \\d+\\.\\d\\d ms.*"), out);
        assertTrue(out.contains("(300 of 300 records)"), "every record of the latency runs (2 s and a 1 s lead-in at 100/s) came out: " + out);
        java.util.regex.Matcher worst = java.util.regex.Pattern.compile(
                "p99 (\\d+\\.\\d) ms, worst (\\d+) ms \\(sent (\\d+\\.\\d\\d) s into the counted run\\)").matcher(out);
        int latencyRuns = 0;
        while (worst.find()) {
            latencyRuns++;
            assertTrue(Double.parseDouble(worst.group(2)) >= Double.parseDouble(worst.group(1)), worst.group());
            // sent in the 2 counted seconds, or a little after where the producing loop fell behind
            assertTrue(Double.parseDouble(worst.group(3)) < 3.0, worst.group());
        }
        assertEquals(6, latencyRuns, "each topology's warm-up and 2 counted latency runs name their worst record: " + out);
        assertTrue(out.contains("round 0, identity (warm-up, not counted) topology at 100 records/s")
                && out.contains("round 0, seqclust (kmeans-avg) (warm-up, not counted) topology at 100 records/s"), out);
    }

    /**
     * The training-step benchmark on the packed engine: the machine's sgemm peak, GFLOP/s per batch, and, where
     * a Python with torch is installed (.ci/run installs Debian's python3-torch), the peer's time and the ratio.
     */
    @Test
    void benchTimesTheTrainingStepAgainstTheMachinesPeakAndThePyTorchPeerInTheSameRun() {
        Run r = runPrinting("bench", "--model", "kmeans-avg", "--window", "20", "--steps", "1", "--peer-steps", "1", "--engine", "packed");
        String out = r.printed();
        assertEquals(0, r.exit(), r.err() + out);
        assertTrue(out.matches("(?s).*machine peak: sgemm .* \\d+\\.\\d GFLOP/s.*"), out);
        for (String batch : new String[] {"synthetic", "JapaneseVowels"}) {
            assertTrue(out.matches("(?s).*rddc, " + batch + " [^\\n]*, packed engine: \\d+\\.\\d ms/step[^\\n]*\\d+\\.\\d\\d GFLOP/s.*"),
                    batch + ": " + out);
            if (TorchPeer.find(java.util.List.of("python3", "/usr/bin/python3")).isPresent()) {
                assertTrue(out.matches("(?s).*rddc, " + batch + " [^\\n]*, packed engine: peer ratio \\d+\\.\\d\\d .*"), batch + ": " + out);
            } else {
                assertTrue(out.contains("PyTorch peer: skipped"), out);
            }
        }
    }

    /** bench --set overrides one setting of the benchmarked model; a setting it lacks, or a bad value, is an error. */
    @Test
    void benchSetsTheModelsSettingsByName() {
        Run r = runPrinting("bench", "--model", "kmeans-avg", "--window", "20", "--steps", "0", "--set", "restarts=3");
        assertEquals(0, r.exit(), r.err() + r.printed());
        assertTrue(r.printed().contains("kmeans-avg settings: {\"restarts\":3,"), r.printed());
        Run foreign = run("bench", "--model", "kmeans-avg", "--steps", "0", "--set", "clustering=kmeans");
        assertTrue(foreign.exit() != 0 && foreign.err().contains("clustering is not a setting of kmeans-avg; its settings: restarts,"),
                foreign.err());
        Run bad = run("bench", "--model", "kmeans-avg", "--steps", "0", "--set", "restarts=0");
        assertTrue(bad.exit() != 0 && bad.err().contains("--set restarts must be greater than or equal to 1 (was 0)"), bad.err());
    }

    @Test
    void benchOnlineNeedsARound() {
        Run r = run("bench", "--online", "--model", "kmeans-avg", "--rounds", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--rounds must be at least 1 (was 0)"), r.err());
    }

    @Test
    void anUnknownFlagIsAnError() {
        Run r = run("evaluate", "--name", "Coffee", "--epoch", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown options: '--epoch'"), r.err());
    }

    @Test
    void anotherModelsSettingIsAnError() {
        Run r = run("evaluate", "--name", "Coffee", "--model", "kmeans-avg", "--lambda", "0.5");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--lambda is not a setting of kmeans-avg; its settings: --restarts, --max-iterations"), r.err());
    }

    @Test
    void aValueOutOfRangeNamesTheOptionAndTheRange() {
        Run r = run("evaluate", "--name", "Coffee", "--model", "rddc", "--epochs", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--epochs must be greater than or equal to 1 (was 0)"), r.err());
        Run typed = run("evaluate", "--name", "Coffee", "--model", "dtcr", "--units", "8,x");
        assertEquals(2, typed.exit());
        assertTrue(typed.err().contains("--units: '8,x' is not a comma-separated list of integers"), typed.err());
    }

    /** The real command on a real set: it trains without the labels and reports scores against them. */
    @Test
    void evaluatesAModelOnARealSet(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Run r = run("evaluate", "--data", "../shared/datasets", "--name", "Coffee", "--model", "kmeans-avg", "--restarts", "3",
                "--protocol", "both", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("kmeans-avg", report.path("model").asText());
        assertEquals(3, report.path("settings").path("restarts").asInt());
        assertEquals(56, report.path("n").asInt());
        double acc = report.path("scores").path("acc").asDouble();
        assertTrue(acc >= 0.5 && acc <= 1, "ACC " + acc);
        assertTrue(report.path("testScores").path("randIndex").asDouble() > 0, report.toString());
    }
}
