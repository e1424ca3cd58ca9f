package io.seqclust.it;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** The packaged service, as the integration tests start it: a separate JVM running the fast-jar. */
final class ServiceJar {

    private ServiceJar() {
    }

    /** {@code java <jvmArgs> -jar quarkus-run.jar} */
    static List<String> command(String... jvmArgs) {
        String jar = System.getProperty("seqclust.app.jar", "target/quarkus-app/quarkus-run.jar");
        if (!new File(jar).exists()) {
            fail(jar + " is missing: run the integration tests through `mvn verify`, which packages the service first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-jar");
        command.add(jar);
        return command;
    }
}
