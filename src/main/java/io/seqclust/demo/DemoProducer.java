package io.seqclust.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * With {@code seqclust.demo.enabled}, produces the demo stream to the sequences topic at
 * {@code seqclust.demo.rate} per second, each record's true shape in the {@value #LABEL_HEADER}
 * header so that {@link DemoScorer} can score the assignments.
 */
@ApplicationScoped
public class DemoProducer {

    /** Not under seqclust.*: the topology drops input headers named so (only seqclust writes those). */
    public static final String LABEL_HEADER = "demo.label";
    private static final Logger LOG = Logger.getLogger(DemoProducer.class);

    private final SeqclustConfig config;
    private final KafkaClients clients;
    private ScheduledExecutorService scheduler;
    private KafkaProducer<String, String> producer;

    public DemoProducer(SeqclustConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
    }

    void onStart(@Observes StartupEvent event) {
        SeqclustConfig.Demo demo = config.demo();
        if (!demo.enabled()) {
            return;
        }
        DemoStream stream = new DemoStream(demo.seed() ^ System.currentTimeMillis(), demo.dims(), demo.classes(),
                demo.minLength(), demo.maxLength(), demo.noise());
        producer = new KafkaProducer<>(clients.config("seqclust-demo"), new StringSerializer(), new StringSerializer());
        String topic = config.topics().sequences();
        String run = Long.toString(System.currentTimeMillis(), 36);
        long[] count = {0};
        long periodMicros = Math.max(1, (long) (1e6 / demo.rate()));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "seqclust-demo"));
        scheduler.scheduleAtFixedRate(() -> {
            DemoStream.Sample s = stream.next();
            String id = "demo-" + run + "-" + count[0]++;
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, id,
                    DemoStream.toJson(id, "demo/" + s.shape(), System.currentTimeMillis(), s.values()));
            record.headers().add(LABEL_HEADER, s.shape().getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        LOG.infof("demo stream: %.0f sequences/s of %d shapes, D=%d, lengths %d-%d, to %s",
                demo.rate(), demo.classes(), demo.dims(), demo.minLength(), demo.maxLength(), topic);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close();
        }
    }
}
