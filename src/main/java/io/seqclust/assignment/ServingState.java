package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;

/** What the assignment topology serves, for the API, readiness and the trainer. */
@ApplicationScoped
public class ServingState {

    private final KafkaStreams streams;
    private final ModelCatalog catalog;
    private volatile boolean modelsRead;

    public ServingState(KafkaStreams streams, ModelCatalog catalog) {
        this.streams = streams;
        this.catalog = catalog;
    }

    /** @return the served model, null if there is none yet or the topology is not running */
    public LoadedModel served() {
        return streams.state().isRunningOrRebalancing() ? catalog.current() : null;
    }

    /**
     * Whether the models topic has been read to its end once: Kafka Streams restores its global store (through
     * the catalog) before the topology first runs, so until then "no model yet" may only mean "not read yet".
     */
    public boolean modelsRead() {
        if (!modelsRead && streams.state() == KafkaStreams.State.RUNNING) {
            modelsRead = true;
        }
        return modelsRead;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }
}
