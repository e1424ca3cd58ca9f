package io.seqclust.assignment;

import io.seqclust.clustering.Checkpoint;
import io.seqclust.clustering.Models;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.SequenceDecoder;
import io.seqclust.metrics.SeqclustMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

/**
 * The assignment topology: {@code sequences → validate → assign → assignments}, bad records to the
 * dead-letter topic, the latest checkpoint held in a global store fed by the models topic.
 */
@ApplicationScoped
public class TopologyProducer {

    public static final String MODELS_STORE = "seqclust-models";
    public static final String PENDING_STORE = "seqclust-pending";
    /** The key of the served checkpoint on the (compacted) models topic. */
    public static final String MODEL_KEY = "current";
    public static final String HEADER_MODEL = "model";
    public static final String HEADER_MODEL_VERSION = "modelVersion";
    static final String ASSIGNMENTS_SINK = "assignments";
    static final String DEAD_LETTERS_SINK = "dead-letters";

    private static final Logger LOG = Logger.getLogger(TopologyProducer.class);

    @Produces
    public Topology topology(SeqclustConfig config, ServedModel served, SeqclustMetrics metrics) {
        return build(config.topics(), new AssignmentEngine(new SequenceDecoder(config.maxSteps())), served, metrics);
    }

    public static Topology build(SeqclustConfig.Topics topics, AssignmentEngine engine, ServedModel served,
                                 SeqclustMetrics metrics) {
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "models-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.models(), "models-loader", ModelLoader::new);
        topology.addSource("sequences", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.sequences());
        topology.addProcessor("assign", () -> new AssignProcessor(engine, served, metrics), "sequences");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE),
                Serdes.Long(), Serdes.ByteArray()), "assign");
        topology.addSink(ASSIGNMENTS_SINK, topics.assignments(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "assign");
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "assign");
        return topology;
    }

    /** Stores a checkpoint only if it passes the serving checks, so a broken one never replaces a good one. */
    static final class ModelLoader implements Processor<String, byte[], Void, Void> {

        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(MODELS_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (!MODEL_KEY.equals(record.key()) || record.value() == null) {
                return;
            }
            try {
                Models.load(Checkpoint.fromBytes(record.value()));
                store.put(MODEL_KEY, record.value());
            } catch (RuntimeException e) {
                LOG.errorf("ignoring a checkpoint on the models topic that fails its checks: %s", e.getMessage());
            }
        }
    }
}
