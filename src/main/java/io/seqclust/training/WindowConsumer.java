package io.seqclust.training;

import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.metrics.SeqclustMetrics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Collection;
import java.util.Map;

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

    public WindowConsumer(SeqclustConfig config, SeqclustMetrics metrics) {
        this.window = new TrainingWindow(config.window().capacity(), config.window().policy(), config.window().seed());
        this.parser = new SequenceParser(config.maxSteps());
        metrics.windowSize(window::size);
    }

    @Incoming("window")
    public void consume(byte[] value) {
        try {
            window.add(parser.parse(value).values());
        } catch (InvalidSequenceException e) {
            // the topology dead-letters it with the reason
        }
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
