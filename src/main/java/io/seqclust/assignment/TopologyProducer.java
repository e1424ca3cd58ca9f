package io.seqclust.assignment;

import io.seqclust.audio.AudioParser;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.RecordFraming;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.metrics.SeqclustMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The assignment topology: {@code sequences → validate → assign → assignments}, bad records to the
 * dead-letter topic, the latest checkpoint held in a global store fed by the models topic; and the audio
 * front end, {@code audio → log-mel features → sequences}.
 */
@ApplicationScoped
public class TopologyProducer {

    private static final String MODELS_STORE = "seqclust-models";
    public static final String PENDING_STORE = "seqclust-pending";
    public static final String HEADER_MODEL = "model";
    public static final String HEADER_MODEL_VERSION = "modelVersion";
    static final String ASSIGNMENTS_SINK = "assignments";
    static final String DEAD_LETTERS_SINK = "dead-letters";
    static final String AUDIO_SEQUENCES_SINK = "audio-sequences";
    static final String AUDIO_DEAD_LETTERS_SINK = "audio-dead-letters";

    /** A trainer that does not assign runs the models reader alone: no stream thread, no share of the sequences. */
    @Produces
    public Topology topology(SeqclustConfig config, AssignmentEngine engine, ModelCatalog catalog, SeqclustMetrics metrics,
                             AssignmentWriter writer, InputPositions positions) {
        if (!config.assigns()) {
            return modelsOnly(config.topics(), catalog);
        }
        Topology topology = build(config.topics(), engine, catalog, metrics,
                Batching.of(config.assigning().batchSize(), config.assigning().batchWait(), config.assigning().threads()), writer,
                positions);
        addAudio(topology, config.topics(), new AudioParser(config.limits().input(), config.audio().settings()),
                config.limits().input(), metrics);
        return topology;
    }

    /** The one parse → validate → assign path, shared by the topology and {@code POST /api/assign}. */
    @Produces
    @Singleton
    public AssignmentEngine engine(SeqclustConfig config, RecordFraming framing) {
        return new AssignmentEngine(new SequenceParser(config.limits().input(), framing, config.topics().sequences()));
    }

    /** Assignments as plain JSON; batches wait {@code batch-wait} whatever follows them (no consumer to ask). */
    public static Topology build(SeqclustConfig.Topics topics, AssignmentEngine engine, ModelCatalog catalog,
                                 SeqclustMetrics metrics, Batching batching) {
        return build(topics, engine, catalog, metrics, batching, AssignmentWriter.JSON, new InputPositions());
    }

    /** @param positions the supplier of the Kafka Streams instance that runs it, so that a batch waits only for records that come */
    public static Topology build(SeqclustConfig.Topics topics, AssignmentEngine engine, ModelCatalog catalog,
                                 SeqclustMetrics metrics, Batching batching, AssignmentWriter writer, InputPositions positions) {
        Topology topology = modelsOnly(topics, catalog);
        topology.addSource("sequences", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.sequences());
        topology.addProcessor("assign", () -> new AssignProcessor(engine, catalog, metrics, batching, writer,
                topics.assignments(), positions), "sequences");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_STORE),
                Serdes.Long(), Serdes.ByteArray()).withCachingEnabled(), "assign");
        topology.addSink(ASSIGNMENTS_SINK, topics.assignments(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "assign");
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "assign");
        return topology;
    }

    /**
     * {@code audio → features → sequences}: each clip's log-mel sequence joins the sequences topic, bad audio
     * goes to the dead-letter topic. A sub-topology of its own, reading a topic the other one does not.
     */
    public static void addAudio(Topology topology, SeqclustConfig.Topics topics, AudioParser parser, InputLimits limits,
                                SeqclustMetrics metrics) {
        topology.addSource("audio", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics.audio());
        topology.addProcessor("audio-features", () -> new AudioProcessor(parser, limits, metrics), "audio");
        topology.addSink(AUDIO_SEQUENCES_SINK, topics.sequences(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "audio-features");
        topology.addSink(AUDIO_DEAD_LETTERS_SINK, topics.deadLetters(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), "audio-features");
    }

    /** The models topic into the catalog, through a global store: the one reader of that topic in each process. */
    static Topology modelsOnly(SeqclustConfig.Topics topics, ModelCatalog catalog) {
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "models-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.models(), "models-loader", () -> new ModelLoader(catalog));
        return topology;
    }

    /**
     * Hands each checkpoint to the catalog, which restores and checks it; stores it only if it passed, so a
     * broken one never replaces a good one. Kafka Streams also runs it over the topic when it restores the
     * store at startup, so the catalog is filled before the topology first runs.
     */
    static final class ModelLoader implements Processor<String, byte[], Void, Void> {

        private final ModelCatalog catalog;
        private KeyValueStore<String, byte[]> store;

        ModelLoader(ModelCatalog catalog) {
            this.catalog = catalog;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(MODELS_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (Checkpoint.TOPIC_KEY.equals(record.key()) && record.value() != null
                    && catalog.offer(record.value(), header(record, CheckpointSignature.HEADER), header(record, Checkpoint.VERSION_HEADER))) {
                store.put(Checkpoint.TOPIC_KEY, record.value());
            }
        }

        private static byte[] header(Record<String, byte[]> record, String key) {
            Header h = record.headers().lastHeader(key);
            return h == null ? null : h.value();
        }
    }
}
