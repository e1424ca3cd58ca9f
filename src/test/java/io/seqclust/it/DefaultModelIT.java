package io.seqclust.it;

import io.seqclust.clustering.ModelKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service as a new user first runs it — embedded broker, demo stream, default model — trains,
 * serves and scores the default model end to end, with k fixed and with k chosen per window, and on the audio
 * demo (WAV clips through the audio topic). The demo's classes differ only in their dynamics: the log line that
 * scores the served model also gives what time averaging (kmeans-avg) gets on the same demo, which the default
 * model must beat.
 */
class DefaultModelIT {

    private static final Pattern SCORE = Pattern.compile("demo score of (\\S+) v\\d+ on \\d+ sequences: ACC=([0-9.]+) .*"
            + "kmeans-avg, on this demo: ACC=([0-9.]+)\\)");
    private static final Pattern SERVING = Pattern.compile("serving (\\S+) v1 \\(k=(\\d+)");

    @ParameterizedTest(name = "k = {0}, demo of {1}")
    @CsvSource({"4, sequences", "auto, sequences", "4, audio"})
    void theDefaultModelTrainsServesAndBeatsTimeAveraging(String k, String kind) throws Exception {
        Path work = Files.createTempDirectory("seqclust-default");
        Path log = work.resolve("service.log");
        Process p = new ProcessBuilder(ServiceJar.embedded(work, "1g",
                "-Dkafka-streams.state.dir=" + work.resolve("streams"),
                "-Dseqclust.model.k=" + k,
                "-Dseqclust.demo.kind=" + kind,
                "-Dseqclust.demo.rate=100",
                "-Dseqclust.demo.score-every=300",
                "-Dseqclust.training.min-records=300"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    fail("the service exited with " + p.exitValue() + ":\n" + Files.readString(log));
                }
                String text = Files.readString(log);
                Matcher m = SCORE.matcher(text);
                if (m.find()) {
                    assertTrue(m.group(1).equals(ModelKind.DEFAULT_ID), "the default model serves: " + m.group());
                    double acc = Double.parseDouble(m.group(2));
                    double baseline = Double.parseDouble(m.group(3));
                    Matcher serving = SERVING.matcher(text);
                    assertTrue(serving.find(), "a serving line");
                    int servedK = Integer.parseInt(serving.group(2));
                    // auto: chosen on the window, without labels, any k of the range. The window a first model
                    // trains on depends on timing, and so does its score: with k = 4, ACC 1.000 on most runs and
                    // 0.78 on some (one shape split, two merged), always far above time averaging (0.41)
                    assertTrue((k.equals("auto") ? servedK >= 2 && servedK <= 8 : servedK == 4) && acc > baseline + 0.2,
                            serving.group() + "; " + m.group());
                    return;
                }
                Thread.sleep(500);
            }
            fail("no demo score within 240 s:\n" + Files.readString(log));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            ServiceJar.deleteData(work);
        }
    }
}
