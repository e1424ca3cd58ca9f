package io.seqclust.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.seqclust.demo.DemoStream;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a broker that takes TLS connections only (SASL_SSL, a self-signed certificate the
 * clients trust as PEM, as {@code k8s/} mounts the cluster CA), authenticates with SCRAM-SHA-512 and authorises with the ACLs of
 * {@code k8s/base/kafkauser.yaml}, configured through the one set of {@code kafka.*} security settings:
 * with the right credentials it assigns every record; with a wrong password it stops, saying why.
 */
class KafkaSecurityIT {

    private static final String USER = "seqclust";
    private static final String PASSWORD = "seqclust-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static EmbeddedKafkaBroker.Scram superUser;
    private static EmbeddedKafkaBroker broker;
    private static Path work;
    /** The broker's certificate, PEM: what clients trust (in k8s/, the Strimzi cluster CA). */
    private static Path ca;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory("seqclust-scram");
        EmbeddedKafkaBroker.Tls tls = selfSignedTls(work);
        ca = tls.trustedPem();
        superUser = new EmbeddedKafkaBroker.Scram("admin", "admin-secret", Optional.of(tls));
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0, Optional.of(superUser));
        try (Admin admin = Admin.create(client(superUser.admin(), superUser.password()))) {
            // the topics are the platform's (Strimzi KafkaTopics in k8s/): the service's user may not create them
            admin.createTopics(List.of(new NewTopic("seqclust.sequences", 3, (short) 1), new NewTopic("seqclust.audio", 3, (short) 1),
                    new NewTopic("seqclust.assignments", 3, (short) 1), new NewTopic("seqclust.dead-letters", 3, (short) 1),
                    new NewTopic("seqclust.models", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(60, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD))).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(aclsOf(USER)).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        ServiceJar.deleteData(work);
    }

    @Test
    void withTheRightCredentialsEveryRecordIsAssigned() throws Exception {
        Path log = work.resolve("right.log");
        Process p = start(PASSWORD, log);
        try {
            int n = 300;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(), new StringSerializer(), new StringSerializer())) {
                DemoStream demo = new DemoStream(5, 2, 4, 20, 60, 0.2);
                for (int i = 0; i < n; i++) {
                    String id = "s-" + i;
                    producer.send(new ProducerRecord<>("seqclust.sequences", id, DemoStream.toJson(id, "scram", 1L, demo.next().values())));
                }
            }
            Set<String> assigned = readKeys("seqclust.assignments", n);
            assertEquals(n, assigned.size(), "every record assigned once; the service's log:\n" + tail(log));
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void withAWrongPasswordTheServiceStopsSayingWhy() throws Exception {
        Path log = work.resolve("wrong.log");
        Process p = start("not-" + PASSWORD, log);
        try {
            assertTrue(p.waitFor(150, TimeUnit.SECONDS), "the service stops by itself");
            assertNotEquals(0, p.exitValue());
            String out = Files.readString(log);
            assertTrue(out.contains("seqclust did not start") && out.contains("Authentication failed"), tail(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process start(String password, Path log) throws Exception {
        return new ProcessBuilder(ServiceJar.command("-Xmx512m",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dkafka.security.protocol=SASL_SSL",
                "-Dkafka.sasl.mechanism=SCRAM-SHA-512",
                "-Dkafka.sasl.jaas.config=" + EmbeddedKafkaBroker.Scram.jaasConfig(USER, password),
                "-Dkafka.ssl.truststore.type=PEM",
                "-Dkafka.ssl.truststore.location=" + ca,
                "-Dkafka-streams.state.dir=" + Files.createTempDirectory(work, "streams"),
                "-Dquarkus.http.port=0",
                "-Dseqclust.model.name=kmeans-avg",
                "-Dseqclust.training.min-records=100"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The ACLs that {@code k8s/base/kafkauser.yaml} gives the KafkaUser {@code user}, as Kafka bindings. */
    static List<AclBinding> aclsOf(String user) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<AclBinding> out = new ArrayList<>();
        for (JsonNode doc : yaml.readValues(new YAMLFactory().createParser(Path.of("k8s/base/kafkauser.yaml").toFile()), JsonNode.class).readAll()) {
            if (!doc.path("metadata").path("name").asText().equals(user)) {
                continue;
            }
            for (JsonNode acl : doc.path("spec").path("authorization").path("acls")) {
                JsonNode r = acl.path("resource");
                ResourceType type = switch (r.path("type").asText()) {
                    case "topic" -> ResourceType.TOPIC;
                    case "group" -> ResourceType.GROUP;
                    case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                    case "cluster" -> ResourceType.CLUSTER;
                    default -> throw new IllegalArgumentException("resource type " + r.path("type"));
                };
                String name = type == ResourceType.CLUSTER ? "kafka-cluster" : r.path("name").asText();
                PatternType pattern = r.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL;
                for (JsonNode op : acl.path("operations")) {
                    // Strimzi writes IdempotentWrite, Kafka IDEMPOTENT_WRITE
                    AclOperation operation = AclOperation.valueOf(op.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
                    out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                            new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
                }
            }
        }
        assertTrue(out.size() > 10, "ACLs of " + user + " in kafkauser.yaml: " + out.size());
        return out;
    }

    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        c.put("ssl.truststore.type", "PEM");
        c.put("ssl.truststore.location", ca.toString());
        c.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        c.put(SaslConfigs.SASL_JAAS_CONFIG, EmbeddedKafkaBroker.Scram.jaasConfig(user, password));
        return c;
    }

    private static Map<String, Object> producer() {
        Map<String, Object> c = client(superUser.admin(), superUser.password());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return c;
    }

    private static Set<String> readKeys(String topic, int expected) {
        Map<String, Object> c = client(superUser.admin(), superUser.password());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> keys = new HashSet<>();
        List<String> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (all.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    all.add(r.key());
                    keys.add(r.key());
                }
            }
        }
        assertEquals(all.size(), keys.size(), "no duplicate");
        return keys;
    }

    /**
     * A key pair and self-signed certificate for 127.0.0.1, made with the JDK's keytool as an operator would,
     * valid for a day; the certificate is exported as PEM for the clients' truststore.
     */
    private static EmbeddedKafkaBroker.Tls selfSignedTls(Path dir) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path keystore = dir.resolve("broker.p12");
        Path pem = dir.resolve("ca.crt");
        String password = "keystore-secret";
        run(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        run(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", pem.toString());
        return new EmbeddedKafkaBroker.Tls(keystore, password, pem);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    private static String tail(Path log) throws java.io.IOException {
        String s = Files.exists(log) ? Files.readString(log) : "(no log)";
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }
}
