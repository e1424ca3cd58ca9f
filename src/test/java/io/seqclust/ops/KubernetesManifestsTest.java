package io.seqclust.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** k8s/: every manifest parses into its typed model, and the pieces fit each other and the service. */
class KubernetesManifestsTest {

    private static final Path BASE = Path.of("k8s/base");
    private static final List<Object> objects = new ArrayList<>();

    @BeforeAll
    static void parseBase() throws IOException {
        JsonNode kustomization = TypedManifests.YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = BASE.resolve(resource.asText());
            assertTrue(Files.exists(file), "kustomization lists a missing file " + file);
            objects.addAll(TypedManifests.parse(Files.readString(file), file.toString()));
        }
        try (Stream<Path> files = Files.list(BASE)) {
            Set<String> listed = new java.util.HashSet<>();
            kustomization.path("resources").forEach(r -> listed.add(r.asText()));
            List<String> unlisted = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml") && !listed.contains(f)).toList();
            assertEquals(List.of(), unlisted, "manifests in k8s/base that kustomization.yaml leaves out");
        }
    }

    @Test
    void deploymentsAreProbedAndSized() {
        List<Deployment> deployments = all(Deployment.class);
        assertEquals(Set.of("seqclust-assigner", "seqclust-trainer"),
                deployments.stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet()));
        for (Deployment d : deployments) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), d.getMetadata().getName());
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), d.getMetadata().getName());
            assertNotNull(c.getResources().getRequests().get("memory"));
            assertNotNull(c.getResources().getLimits().get("memory"));
            assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
            assertEquals(d.getSpec().getSelector().getMatchLabels(),
                    subset(d.getSpec().getTemplate().getMetadata().getLabels(), d.getSpec().getSelector().getMatchLabels()));
        }
        Deployment assigner = named(deployments, "seqclust-assigner");
        assertEquals("assigner", env(assigner, "SEQCLUST_ROLES"), "assigners never train");
        assertEquals("assigner,trainer", env(named(deployments, "seqclust-trainer"), "SEQCLUST_ROLES"));
        assertEquals("seqclust-assigner", secretOf(assigner, "KAFKA_SASL_JAAS_CONFIG"), "assigners use the identity that cannot publish");
        assertEquals("seqclust", secretOf(named(deployments, "seqclust-trainer"), "KAFKA_SASL_JAAS_CONFIG"));
        Map<String, String> settings = all(ConfigMap.class).get(0).getData();
        assertEquals("SASL_SSL", settings.get("KAFKA_SECURITY_PROTOCOL"), "SCRAM credentials never travel in clear");
        assertTrue(settings.keySet().stream().noneMatch(k -> k.startsWith("QUARKUS_KAFKA_STREAMS_")),
                "one set of KAFKA_* settings serves Kafka Streams too");
        assertEquals("seqclust-admin", secretOf(named(deployments, "seqclust-trainer"), "SEQCLUST_ADMIN_TOKEN"));
        assertEquals("seqclust", assigner.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPodAffinityTerm().getLabelSelector()
                .getMatchLabels().get("app.kubernetes.io/name"));
    }

    @Test
    void theBudgetTheServiceAndTheMonitorSelectWhatExists() {
        Deployment assigner = named(all(Deployment.class), "seqclust-assigner");
        Map<String, String> assignerLabels = assigner.getSpec().getTemplate().getMetadata().getLabels();
        PodDisruptionBudget pdb = all(PodDisruptionBudget.class).get(0);
        assertEquals(pdb.getSpec().getSelector().getMatchLabels(), subset(assignerLabels, pdb.getSpec().getSelector().getMatchLabels()));
        Service service = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals("seqclust")).findFirst().orElseThrow();
        assertEquals(service.getSpec().getSelector(), subset(assignerLabels, service.getSpec().getSelector()));
        Service admin = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals("seqclust-trainer")).findFirst().orElseThrow();
        Map<String, String> trainerLabels = named(all(Deployment.class), "seqclust-trainer").getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(admin.getSpec().getSelector(), subset(trainerLabels, admin.getSpec().getSelector()), "admin calls reach the trainer");
        assertTrue(!admin.getSpec().getSelector().equals(subset(assignerLabels, admin.getSpec().getSelector())),
                "and never an assigner");
        String port = service.getSpec().getPorts().get(0).getName();
        ServiceMonitor monitor = all(ServiceMonitor.class).get(0);
        assertEquals(monitor.getSpec().getSelector().getMatchLabels(),
                subset(service.getMetadata().getLabels(), monitor.getSpec().getSelector().getMatchLabels()));
        assertEquals(port, monitor.getSpec().getEndpoints().get(0).getPort());
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
    }

    @Test
    void configMapKeysAreSettingsTheServiceKnows() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String key : all(ConfigMap.class).get(0).getData().keySet()) {
            if (key.startsWith("SEQCLUST_")) {
                boolean documented = java.util.regex.Pattern.compile("\\| `(seqclust\\.[a-z.-]+)` \\|").matcher(readme).results()
                        .map(m -> m.group(1).toUpperCase().replaceAll("[^A-Z0-9]", "_")).anyMatch(key::equals);
                assertTrue(documented, key + " is no seqclust setting in README's configuration table");
            }
        }
    }

    @Test
    void topicsAndAclsMatchTheService() throws IOException {
        Map<String, KafkaTopic> topics = all(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
        assertEquals(Set.of("seqclust.sequences", "seqclust.audio", "seqclust.assignments", "seqclust.dead-letters", "seqclust.models"),
                topics.keySet());
        KafkaTopic models = topics.get("seqclust.models");
        assertEquals("compact", models.getSpec().getConfig().get("cleanup.policy"));
        assertEquals(1, models.getSpec().getPartitions());

        Properties app = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        Map<String, KafkaUser> users = all(KafkaUser.class).stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        assertEquals(Set.of("seqclust", "seqclust-assigner"), users.keySet());
        assertTrue(modelsOperations(users.get("seqclust")).contains("write"), "the trainer publishes checkpoints");
        assertFalse(modelsOperations(users.get("seqclust-assigner")).contains("write"), "an assigner must not be able to publish");
        assertTrue(modelsOperations(users.get("seqclust-assigner")).contains("read"));
        for (KafkaUser user : users.values()) {
            checkAcls(((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls(), topics.keySet(), app);
        }
    }

    private static List<String> modelsOperations(KafkaUser user) {
        return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls().stream()
                .filter(a -> a.getResource() instanceof AclRuleTopicResource r && r.getName().equals("seqclust.models"))
                .flatMap(a -> a.getOperations().stream()).map(o -> o.toString().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    private static void checkAcls(List<AclRule> acls, Set<String> topicNames, Properties app) {
        String applicationId = app.getProperty("quarkus.kafka-streams.application-id");
        for (String topic : topicNames) {
            assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTopicResource r && r.getName().equals(topic)),
                    "no ACL for topic " + topic);
        }
        assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleGroupResource r && r.getName().equals(applicationId)),
                "no ACL for the Streams consumer group " + applicationId);
        assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTopicResource r
                && r.getName().equals(applicationId + "-") && r.getPatternType().toValue().equals("prefix")), "no ACL for Streams' internal topics");
        assertTrue(acls.stream().anyMatch(a -> a.getResource() instanceof AclRuleTransactionalIdResource r
                && r.getName().equals(applicationId + "-") && r.getPatternType().toValue().equals("prefix")), "no ACL for exactly-once transactional ids");
    }

    @Test
    void alertRulesPassPromtoolAndItsUnitTests(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("promtool"), "promtool is not installed (Debian package prometheus; .ci/run installs it): alert rules not checked");
        PrometheusRule rule = all(PrometheusRule.class).get(0);
        Files.writeString(dir.resolve("rules.yaml"), TypedManifests.YAML.writeValueAsString(
                Map.of("groups", TypedManifests.YAML.convertValue(rule.getSpec().getGroups(), List.class))));
        Files.copy(Path.of("k8s/alerts-test.yaml"), dir.resolve("alerts-test.yaml"));
        assertEquals("", run(dir, "promtool", "check", "rules", "rules.yaml"));
        assertEquals("", run(dir, "promtool", "test", "rules", "alerts-test.yaml"));
        List<String> alerts = rule.getSpec().getGroups().get(0).getRules().stream().map(r -> r.getAlert()).toList();
        assertTrue(alerts.containsAll(List.of("SeqclustNoModelLoaded", "SeqclustDeadLetterRate", "SeqclustConsumerLag",
                "SeqclustTrainingFailures")), alerts.toString());
    }

    @Test
    void theGpuOverlayPutsTheTrainerOnAGpu() throws Exception {
        List<Object> gpu = TypedManifests.parse(Files.readString(Path.of("k8s/overlays/gpu/trainer-gpu.yaml")), "trainer-gpu.yaml");
        Deployment patch = (Deployment) gpu.get(0);
        var pod = patch.getSpec().getTemplate().getSpec();
        assertEquals(new Quantity("1"), pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the overlay was parsed but not rendered");
        List<Object> rendered = TypedManifests.parse(run(Path.of("."), "kubectl", "kustomize", "k8s/overlays/gpu"), "gpu overlay");
        Deployment trainer = rendered.stream().filter(o -> o instanceof Deployment d && d.getMetadata().getName().equals("seqclust-trainer"))
                .map(Deployment.class::cast).findFirst().orElseThrow();
        Container c = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/gpu"));
        assertNotNull(c.getReadinessProbe(), "the patch keeps the base's probes");
        assertTrue(c.getImage().contains("seqclust-gpu"), c.getImage());
        assertEquals("seqclust", trainer.getMetadata().getNamespace());
        Deployment assigner = rendered.stream().filter(o -> o instanceof Deployment d && d.getMetadata().getName().equals("seqclust-assigner"))
                .map(Deployment.class::cast).findFirst().orElseThrow();
        assertEquals(null, assigner.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
    }

    static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** Runs a command; its output if it succeeded, otherwise the test fails with it. */
    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out + err);
        return command[0].equals("promtool") ? "" : out;
    }

    private static <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Deployment named(List<Deployment> deployments, String name) {
        return deployments.stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static String env(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static String secretOf(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName();
    }

    /** The entries of {@code labels} named in {@code selector}: equal to the selector iff it matches. */
    private static Map<String, String> subset(Map<String, String> labels, Map<String, String> selector) {
        return labels.entrySet().stream().filter(e -> selector.containsKey(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
