package io.seqclust.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/: what can be checked with no Docker engine. The compose file's services, ports and mounts,
 * and that the Dockerfiles run as a non-root user with a health check, on the right bases.
 */
class DockerFilesTest {

    private static final Path DOCKER = Path.of("docker");

    @Test
    void composeBringsUpKafkaSeqclustPrometheusAndGrafana() throws IOException {
        JsonNode compose = TypedManifests.YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.path("services");
        assertEquals(Set.of("kafka", "seqclust", "prometheus", "grafana"), fieldNames(services));
        assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
        assertTrue(ports(services.path("seqclust")).contains("8080:8080"));
        assertTrue(ports(services.path("prometheus")).contains("9090:9090"));
        assertTrue(ports(services.path("grafana")).contains("3000:3000"));

        JsonNode build = services.path("seqclust").path("build");
        Path context = DOCKER.resolve(build.path("context").asText()).normalize();
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText())), "the seqclust Dockerfile exists");

        // seqclust reaches Kafka on a listener Kafka advertises under its service name
        String bootstrap = services.path("seqclust").path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText();
        String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
        assertTrue(advertised.contains("//" + bootstrap), bootstrap + " is not among " + advertised);

        Set<String> namedVolumes = fieldNames(compose.path("volumes"));
        List<String> missing = new ArrayList<>();
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    if (!Files.exists(DOCKER.resolve(source).normalize())) {
                        missing.add(source);
                    }
                } else if (!namedVolumes.contains(source)) {
                    missing.add("volume " + source);
                }
            }
        }
        assertEquals(List.of(), missing, "mounted files, folders or volumes that do not exist");
    }

    @Test
    void prometheusScrapesTheServiceAndGrafanaFindsPrometheusAndTheDashboards() throws IOException {
        JsonNode prometheus = TypedManifests.YAML.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        assertEquals("seqclust:8080", job.path("static_configs").get(0).path("targets").get(0).asText());

        JsonNode datasources = TypedManifests.YAML.readTree(Path.of("grafana/provisioning/datasources/prometheus.yml").toFile());
        assertEquals("http://prometheus:9090", datasources.path("datasources").get(0).path("url").asText());
        JsonNode providers = TypedManifests.YAML.readTree(Path.of("grafana/provisioning/dashboards/seqclust.yml").toFile());
        assertEquals("/var/lib/grafana/dashboards", providers.path("providers").get(0).path("options").path("path").asText());
        JsonNode grafana = TypedManifests.YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile()).path("services").path("grafana");
        assertTrue(volumes(grafana).contains("../grafana/dashboards:/var/lib/grafana/dashboards:ro"));
    }

    @Test
    void imagesRunAsNonRootWithAHealthCheck() throws IOException {
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            String dockerfile = Files.readString(DOCKER.resolve(name));
            Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
            String last = null;
            while (user.find()) {
                last = user.group(1);
            }
            assertTrue(last != null && !last.equals("root") && !last.equals("0"), name + " runs as root");
            assertTrue(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("/q/health/live"), name + " has no health check");
            assertTrue(dockerfile.contains("EXPOSE 8080"), name);
            Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(dockerfile);
            while (copy.find()) {
                assertTrue(Files.exists(Path.of(copy.group(1))), name + " copies a missing " + copy.group(1));
            }
        }
        String gpu = Files.readString(DOCKER.resolve("Dockerfile.gpu"));
        assertTrue(gpu.contains("FROM nvidia/cuda:11.6") && gpu.contains("cudnn8-runtime"), "CUDA 11.6 + cuDNN 8 runtime base");
        assertTrue(gpu.contains("-Pgpu package"), "built with the gpu profile");
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<id>gpu</id>"), "the pom has a gpu profile");
        assertFalse(Files.readString(DOCKER.resolve("Dockerfile")).contains("-Pgpu"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ports(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("ports").forEach(p -> out.add(p.asText()));
        return out;
    }

    private static List<String> volumes(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("volumes").forEach(p -> out.add(p.asText()));
        return out;
    }
}
