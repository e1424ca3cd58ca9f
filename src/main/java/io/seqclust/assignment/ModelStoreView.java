package io.seqclust.assignment;

import io.seqclust.clustering.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The model the topology serves, read from its global store, for the API and readiness. */
@ApplicationScoped
public class ModelStoreView {

    private final KafkaStreams streams;
    private final ServedModel served;

    public ModelStoreView(KafkaStreams streams, ServedModel served) {
        this.streams = streams;
        this.served = served;
    }

    /** @return the served model, null if there is none yet or the topology is not running */
    public LoadedModel served() {
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    TopologyProducer.MODELS_STORE, QueryableStoreTypes.keyValueStore()));
            return served.resolve(store.get(TopologyProducer.MODEL_KEY));
        } catch (InvalidStateStoreException e) {
            return null;
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }
}
