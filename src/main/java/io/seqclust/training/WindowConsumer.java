package io.seqclust.training;

import io.seqclust.assignment.ModelCatalog;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.metrics.SeqclustMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Feeds the training window from the sequences topic. It commits no offsets: on every start it
 * re-reads the topic (the last {@code capacity} records of each partition for the recent policy,
 * everything for the reservoir), so a restart rebuilds the window and loses nothing. Invalid records
 * are skipped here; the assignment topology dead-letters them.
 */
@ApplicationScoped
public class WindowConsumer {

    private final TrainingWindow window;
    private final SequenceParser parser;
    private final OptionalInt pinnedDims;
    private final ModelCatalog catalog;

    public WindowConsumer(SeqclustConfig config, SeqclustMetrics metrics, ModelCatalog catalog) {
        this.window = new TrainingWindow(config.window().capacity(), config.window().maxBytes(), config.window().policy(),
                config.window().seed());
        this.parser = new SequenceParser(config.limits().input());
        this.pinnedDims = config.model().dims();
        this.catalog = catalog;
        metrics.windowSize(window::size);
    }

    @Incoming("window")
    public void consume(ConsumerRecord<byte[], byte[]> record) {
        try {
            double[][] values = parser.parse(record.key(), record.value()).values();
            if (ofServedDims(values[0].length)) {
                window.add(record.partition(), record.offset(), values);
            }
        } catch (InvalidSequenceException e) {
            // the topology dead-letters it with the reason
        }
    }

    /**
     * Records of another D than the pinned one (seqclust.model.dims, else the served model's) are
     * dead-lettered by the topology; they take no room in the window either.
     */
    private boolean ofServedDims(int dims) {
        if (pinnedDims.isPresent()) {
            return dims == pinnedDims.getAsInt();
        }
        LoadedModel served = catalog.current();
        return served == null || dims == served.dims();
    }

    public TrainingWindow window() {
        return window;
    }

    /** Where the window's consumer starts reading, named in the {@code window} channel's configuration. */
    @ApplicationScoped
    @Identifier("seqclust-window-rebalance")
    public static class Rewind implements KafkaConsumerRebalanceListener {

        private final TrainingWindow window;

        public Rewind(WindowConsumer consumer) {
            this.window = consumer.window();
        }

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (window.policy() == SeqclustConfig.WindowPolicy.reservoir) {
                consumer.seekToBeginning(partitions);
                return;
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - window.capacity()));
            }
        }
    }
}
