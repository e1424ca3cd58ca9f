package io.seqclust.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad setting stops the packaged service at startup, and the log names the key and what is allowed. */
class ConfigValidationIT {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "seqclust.rddc.epochs|0|seqclust.rddc.epochs must be greater than or equal to 1 (was 0)",
            "seqclust.dtcr.learning-rate|2|seqclust.dtcr.learning-rate must be less than or equal to 1 (was 2)",
            "seqclust.rddc.epoch|5|unknown setting seqclust.rddc.epoch",
            "seqclust.model.k|1|seqclust.model.k with the config value \"1\"",
            "seqclust.model.k-max|1001|seqclust.model.k-max must be less than or equal to 1000",
            "seqclust.model.name|kmedoids|seqclust.model.name with the config value \"kmedoids\"",
            "seqclust.training.min-records|6000|seqclust.training.min-records = 6000 is above seqclust.window.capacity = 5000"})
    void aBadSettingStopsTheStartNamingTheKey(String key, String value, String expected) throws Exception {
        Path work = Files.createTempDirectory("seqclust-config");
        Path log = work.resolve("service.log");
        Process p = new ProcessBuilder(ServiceJar.embedded(work, "256m", "-D" + key + "=" + value))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the service stops by itself");
            assertNotEquals(0, p.exitValue(), "exit code");
            String output = Files.readString(log);
            assertTrue(output.contains(expected),
                    "the log (exit code " + p.exitValue() + ") says '" + expected + "':\n" + output);
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            ServiceJar.deleteData(work);
        }
    }
}
