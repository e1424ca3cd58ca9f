package io.seqclust.demo;

import io.seqclust.assignment.Assignment;
import io.seqclust.audio.AudioFeatures;
import io.seqclust.audio.Pcm;
import io.seqclust.clustering.KMeansAvg;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.model.train.TrainingProgress;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;

/**
 * Scores the served model on the demo stream: every {@code seqclust.demo.score-every} demo
 * assignments of one model version, logs ACC/NMI/RI against the demo labels (which reach the
 * assignments through the record headers the topology keeps). Scoring only: labels never train.
 */
@ApplicationScoped
public class DemoScorer {

    private static final Logger LOG = Logger.getLogger(DemoScorer.class);

    private final int every;
    /** The labels' names, in label order: the shapes, or the kinds of sound. */
    private final List<String> labels;
    private String model;
    private long version = -1;
    private int[] truth;
    private int[] predicted;
    private int n;
    private volatile ClusteringScores lastScores;
    /** What time averaging (kmeans-avg) scores on this demo's data: the served model's score is read against it. */
    private final ClusteringScores baseline;

    public DemoScorer(SeqclustConfig config) {
        this.every = config.demo().scoreEvery();
        SeqclustConfig.Demo demo = config.demo();
        boolean audio = demo.kind() == SeqclustConfig.DemoKind.audio;
        this.labels = Arrays.asList(audio ? AudioDemo.SOUNDS : DemoStream.SHAPES);
        if (!demo.enabled()) {
            this.baseline = null;
        } else if (audio) {
            AudioDemo clips = new AudioDemo(demo.seed(), demo.classes());
            AudioFeatures features = new AudioFeatures(config.audio().settings());
            this.baseline = baseline(() -> {
                AudioDemo.Clip c = clips.next();
                try {
                    return new DemoStream.Sample(c.label(), features.of(new Pcm(c.samples(), c.sampleRate())));
                } catch (InvalidSequenceException e) {
                    throw new IllegalStateException("an audio demo clip was refused: " + e.getMessage(), e);
                }
            }, demo.classes(), every);
        } else {
            DemoStream stream = new DemoStream(demo.seed(), demo.dims(), demo.classes(), demo.minLength(), demo.maxLength(),
                    demo.noise());
            this.baseline = baseline(stream::next, demo.classes(), every);
        }
    }

    /** kmeans-avg with its defaults, trained and scored on n samples of the demo. */
    static ClusteringScores baseline(Supplier<DemoStream.Sample> stream, int classes, int n) {
        List<double[][]> window = new ArrayList<>();
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            DemoStream.Sample s = stream.get();
            window.add(s.values());
            truth[i] = s.label();
        }
        int[] labels = new KMeansAvg(KMeansAvg.Settings.DEFAULTS, classes).fit(window, 1, TrainingProgress.NONE).labels();
        return ClusteringScores.of(truth, labels);
    }

    @Incoming("demo-assignments")
    public CompletionStage<Void> score(Message<byte[]> message) {
        Header label = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(DemoProducer.LABEL_HEADER)).orElse(null);
        if (label != null) {
            add(Assignment.fromJson(message.getPayload()), labels.indexOf(new String(label.value(), StandardCharsets.UTF_8)));
        }
        return message.ack();
    }

    synchronized void add(Assignment a, int label) {
        if (a.modelVersion() != version || !a.model().equals(model)) {
            model = a.model();
            version = a.modelVersion();
            truth = new int[every];
            predicted = new int[every];
            n = 0;
        }
        truth[n] = label;
        predicted[n] = a.cluster();
        if (++n == every) {
            lastScores = ClusteringScores.of(truth, predicted);
            LOG.infof("demo score of %s v%d on %d sequences: %s (time averaging, kmeans-avg, on this demo: ACC=%.3f)", model,
                    version, every, lastScores, baseline == null ? Double.NaN : baseline.acc());
            n = 0;
        }
    }

    /** The last logged score, null before the first. */
    public ClusteringScores lastScores() {
        return lastScores;
    }
}
