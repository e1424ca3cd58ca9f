package io.seqclust.training;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.seqclust.assignment.ModelCatalog;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.RecordFraming;
import io.seqclust.ingest.SequenceParser;
import io.seqclust.kafka.KafkaClients;
import io.seqclust.metrics.SeqclustMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Feeds the training window from the sequences topic, on a thread of its own and only in a trainer. It
 * belongs to no consumer group and commits nothing: on every start it reads each partition again (the last
 * {@code capacity} records for the recent policy, everything for the reservoir), so a restart rebuilds the
 * window and loses nothing, and it says when it has read every partition to where it ended at startup (the
 * window is then rebuilt, and the trainer may decide). It reads committed records only, as the topology does.
 * Invalid records are skipped here; the assignment topology dead-letters them.
 */
@ApplicationScoped
public class WindowConsumer {

    private static final Logger LOG = Logger.getLogger(WindowConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How often new partitions of the topic are looked for. */
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final SeqclustConfig config;
    private final KafkaClients clients;
    private final TrainingWindow window;
    private final SequenceParser parser;
    private final OptionalInt pinnedDims;
    private final ModelCatalog catalog;
    private volatile boolean running;
    private volatile boolean rebuilt;
    private Thread thread;
    private KafkaConsumer<byte[], byte[]> consumer;

    public WindowConsumer(SeqclustConfig config, KafkaClients clients, SeqclustMetrics metrics, ModelCatalog catalog,
                          RecordFraming framing) {
        this.config = config;
        this.clients = clients;
        this.window = new TrainingWindow(config.window().capacity(), config.window().maxBytes(), config.window().policy(),
                config.window().seed());
        this.parser = new SequenceParser(config.limits().input(), framing, config.topics().sequences());
        this.pinnedDims = config.model().dims();
        this.catalog = catalog;
        metrics.windowSize(window::size);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.trains()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "seqclust-window");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether every partition has been read to where it ended when this process started. */
    public boolean rebuilt() {
        return rebuilt;
    }

    public TrainingWindow window() {
        return window;
    }

    private void run() {
        String topic = config.topics().sequences();
        Map<String, Object> c = clients.config("seqclust-window");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: it assigns itself every partition and commits nothing
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.limits().recordBytes() + 65_536);
        while (running) {
            try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                read(kafka, topic);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.errorf("the training window's consumer failed (%s); it starts again in 5 s", e.toString());
                sleep(Duration.ofSeconds(5));
            } finally {
                consumer = null;
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> kafka, String topic) {
        Set<TopicPartition> assigned = new HashSet<>();
        Map<TopicPartition, Long> rebuildTo = new HashMap<>();
        long nextRefresh = 0;
        while (running) {
            if (System.nanoTime() >= nextRefresh) {
                List<TopicPartition> all = partitions(kafka, topic);
                Set<TopicPartition> added = new HashSet<>(all);
                added.removeAll(assigned);
                if (!added.isEmpty()) {
                    assigned.addAll(added);
                    kafka.assign(assigned);
                    rewind(kafka, added);
                    // a partition added later is new: only those present at the first look decide "rebuilt"
                    if (!rebuilt) {
                        rebuildTo.putAll(kafka.endOffsets(added));
                    }
                }
                // a topic not there yet is looked for again soon
                nextRefresh = System.nanoTime() + (all.isEmpty() ? POLL : PARTITION_REFRESH).toNanos();
            }
            if (assigned.isEmpty()) {
                sleep(POLL);
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(POLL)) {
                take(record);
            }
            if (!rebuilt && rebuildTo.entrySet().stream().allMatch(e -> kafka.position(e.getKey()) >= e.getValue())) {
                rebuilt = true;
                LOG.infof("training window rebuilt: %d sequences from %d partitions of %s", window.size(), assigned.size(), topic);
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> kafka, String topic) {
        List<PartitionInfo> info = kafka.partitionsFor(topic);
        return info == null ? List.of() : info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Where reading starts: the last {@code capacity} records of each partition for the recent policy, else the start. */
    private void rewind(KafkaConsumer<byte[], byte[]> kafka, Set<TopicPartition> partitions) {
        if (window.policy() == SeqclustConfig.WindowPolicy.reservoir) {
            kafka.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> begin = kafka.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            kafka.seek(p, Math.max(begin.get(p), end.get(p) - window.capacity()));
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
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

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
