package io.seqclust.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * With {@code seqclust.demo.enabled}, produces the demo stream at {@code seqclust.demo.rate} per second: JSON
 * sequences to the sequences topic, or with {@code seqclust.demo.kind=audio} WAV clips to the audio topic; each
 * record's true shape or sound in the {@value #LABEL_HEADER} header so that {@link DemoScorer} can score the
 * assignments.
 */
@ApplicationScoped
public class DemoProducer {

    /** Not under seqclust.*: the topology drops input headers named so (only seqclust writes those). */
    public static final String LABEL_HEADER = "demo.label";
    private static final Logger LOG = Logger.getLogger(DemoProducer.class);

    private final SeqclustConfig config;
    private final KafkaClients clients;
    private ScheduledExecutorService scheduler;
    private KafkaProducer<String, byte[]> producer;

    public DemoProducer(SeqclustConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
    }

    void onStart(@Observes StartupEvent event) {
        SeqclustConfig.Demo demo = config.demo();
        if (!demo.enabled()) {
            return;
        }
        producer = new KafkaProducer<>(clients.config("seqclust-demo"), new StringSerializer(), new ByteArraySerializer());
        String run = Long.toString(System.currentTimeMillis(), 36);
        long seed = demo.seed() ^ System.currentTimeMillis();
        Supplier<ProducerRecord<String, byte[]>> next;
        if (demo.kind() == SeqclustConfig.DemoKind.audio) {
            AudioDemo clips = new AudioDemo(seed, demo.classes());
            next = counted(run, (id, now) -> {
                AudioDemo.Clip c = clips.next();
                return labelled(new ProducerRecord<>(config.topics().audio(), id, c.wav()), c.sound());
            });
            LOG.infof("demo stream: %.0f clips/s of %d kinds of sound (WAV, 8-44.1 kHz), to %s", demo.rate(), demo.classes(),
                    config.topics().audio());
        } else {
            DemoStream stream = new DemoStream(seed, demo.dims(), demo.classes(), demo.minLength(), demo.maxLength(), demo.noise());
            next = counted(run, (id, now) -> {
                DemoStream.Sample s = stream.next();
                return labelled(new ProducerRecord<>(config.topics().sequences(), id,
                        DemoStream.toJson(id, "demo/" + s.shape(), now, s.values()).getBytes(StandardCharsets.UTF_8)), s.shape());
            });
            LOG.infof("demo stream: %.0f sequences/s of %d shapes, D=%d, lengths %d-%d, to %s",
                    demo.rate(), demo.classes(), demo.dims(), demo.minLength(), demo.maxLength(), config.topics().sequences());
        }
        long periodMicros = Math.max(1, (long) (1e6 / demo.rate()));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "seqclust-demo"));
        scheduler.scheduleAtFixedRate(() -> producer.send(next.get()), 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Records of ids demo-{run}-0, -1, … made by {@code make} from the id and the time. */
    private static Supplier<ProducerRecord<String, byte[]>> counted(String run,
                                                                   BiFunction<String, Long, ProducerRecord<String, byte[]>> make) {
        long[] count = {0};
        return () -> make.apply("demo-" + run + "-" + count[0]++, System.currentTimeMillis());
    }

    private static ProducerRecord<String, byte[]> labelled(ProducerRecord<String, byte[]> record, String label) {
        record.headers().add(LABEL_HEADER, label.getBytes(StandardCharsets.UTF_8));
        return record;
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
