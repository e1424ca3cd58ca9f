package io.seqclust.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.seqclust.kafka.EmbeddedKafkaBroker;
import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts Kafka's own KRaft broker (the one the service embeds) for {@code @QuarkusTest}s, with
 * training left to the tests: no scheduled run ever becomes due.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** The tests' {@code seqclust.admin.token}: state-changing calls send it as a bearer token. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The tests' {@code seqclust.models.signing-key}. */
    public static final String SIGNING_KEY = "test-signing-key-0123456789";

    private EmbeddedKafkaBroker broker;
    private Path brokerData;
    private Path streamsState;

    @Override
    public Map<String, String> start() {
        try {
            brokerData = Files.createTempDirectory("seqclust-test-kafka");
            streamsState = Files.createTempDirectory("seqclust-test-streams");
            broker = EmbeddedKafkaBroker.start(brokerData, 0);
            // the pipeline's semantics do not depend on the model: the quickest one keeps these tests short (the
            // default model is run end to end by DefaultModelIT)
            return Map.of(
                    "seqclust.model.name", "kmeans-avg",
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "kafka-streams.state.dir", streamsState.toString(),
                    // thresholds no test reaches (they may not exceed the window's capacity)
                    "seqclust.window.capacity", "20000",
                    "seqclust.training.min-records", "20000",
                    "seqclust.training.min-new-records", "20000",
                    "seqclust.limits.steps", "500",
                    // kmeans-avg cannot separate the demo's shapes, so two of its runs may well disagree: these tests
                    // retrain to check the pipeline, not the promotion gate (LifecycleIT checks that)
                    "seqclust.training.promotion.min-agreement", "-1",
                    "seqclust.admin.token", ADMIN_TOKEN,
                    // checkpoints signed end to end: the trainer signs, the topology's loader checks
                    "seqclust.models.signing-key", SIGNING_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        // after the application: Quarkus stops it before its test resources
        FileUtils.deleteQuietly(brokerData == null ? null : brokerData.toFile());
        FileUtils.deleteQuietly(streamsState == null ? null : streamsState.toFile());
    }
}
