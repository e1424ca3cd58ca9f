package io.seqclust.it;

import org.apache.commons.io.FileUtils;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** The packaged service, as the integration tests start it: a separate JVM running the fast-jar. */
final class ServiceJar {

    private ServiceJar() {
    }

    /**
     * The service with its own embedded broker on a free port, its data under {@code work}, and HTTP on a
     * free port: {@code java -Xmx<heap> <those> <more> -jar quarkus-run.jar}.
     */
    static List<String> embedded(Path work, String heap, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "-Xmx" + heap,
                "-Dseqclust.broker.port=0",
                "-Dseqclust.broker.data-dir=" + work.resolve("kafka"),
                "-Dquarkus.http.port=0"));
        args.addAll(List.of(more));
        return command(args.toArray(String[]::new));
    }

    /**
     * Deletes everything a run left under {@code work} but its logs ({@code *.log}): its broker's data and Kafka
     * Streams' state (a suite run had left about 80 MB in the system's temp directory). Quietly: the test's outcome
     * does not depend on it.
     */
    static void deleteData(Path work) {
        File[] left = work.toFile().listFiles((dir, name) -> !name.endsWith(".log"));
        for (File f : left == null ? new File[0] : left) {
            FileUtils.deleteQuietly(f);
        }
    }

    /** {@code java --add-modules jdk.incubator.vector <jvmArgs> -jar quarkus-run.jar}, as README starts it */
    static List<String> command(String... jvmArgs) {
        String jar = System.getProperty("seqclust.app.jar", "target/quarkus-app/quarkus-run.jar");
        if (!new File(jar).exists()) {
            fail(jar + " is missing: run the integration tests through `mvn verify`, which packages the service first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(jvmArgs));
        command.add("-jar");
        command.add(jar);
        return command;
    }
}
