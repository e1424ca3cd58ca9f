package io.seqclust.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.drift.Drift;
import io.seqclust.ingest.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The service's own meters, all prefixed {@code seqclust_} in Prometheus, in base units. README's
 * metrics reference lists them.
 */
@ApplicationScoped
public class SeqclustMetrics {

    private final MeterRegistry registry;
    private final String topic;
    /** By input topic: the sequences topic's from the start, the audio topic's once it has records. */
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    /** By input topic and code. */
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Counter> assigned = new ConcurrentHashMap<>();
    private final Map<String, Counter> batches = new ConcurrentHashMap<>();
    private final Timer latency;
    private final DistributionSummary confidence;
    private final AtomicLong servedVersion = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicDouble trainingProgress = new AtomicDouble();
    private final Map<String, AtomicDouble> trainingLoss = new ConcurrentHashMap<>();
    private final AtomicDouble driftScore = new AtomicDouble();
    private final AtomicDouble agreement = new AtomicDouble();
    private final Map<String, AtomicDouble> driftParts = new ConcurrentHashMap<>();

    /** A double a gauge reads. */
    private static final class AtomicDouble {
        private volatile double value;

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }

    @Inject
    public SeqclustMetrics(MeterRegistry registry, SeqclustConfig config) {
        this(registry, config.topics().sequences());
    }

    /** @param topic the sequences topic, the {@code topic} label of the record counters */
    public SeqclustMetrics(MeterRegistry registry, String topic) {
        this.registry = registry;
        this.topic = topic;
        consumed(topic, 0);
        for (ErrorCode code : ErrorCode.values()) {
            deadLettered(topic, code, 0);
        }
        latency = Timer.builder("seqclust.assignment.latency")
                .description("Time to decode, validate and assign one record")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        confidence = DistributionSummary.builder("seqclust.assignment.confidence")
                .description("Largest cluster probability of each assignment")
                .serviceLevelObjectives(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)
                .register(registry);
        driftScore.set(Double.NaN);
        Gauge.builder("seqclust.training.progress", trainingProgress, AtomicDouble::get)
                .description("Share of the running training's epochs done").register(registry);
        agreement.set(Double.NaN);
        Gauge.builder("seqclust.label.alignment.agreement", agreement, AtomicDouble::get)
                .description("ARI of the last model trained with the one it was to replace, on that one's anchors").register(registry);
        Gauge.builder("seqclust.drift.score", driftScore, AtomicDouble::get)
                .description("How far the newest sequences have moved from the served model's training window (0..1)")
                .register(registry);
        for (String part : List.of("cluster_mix", "confidence_drop", "representation")) {
            AtomicDouble holder = new AtomicDouble();
            holder.set(Double.NaN);
            driftParts.put(part, holder);
            Gauge.builder("seqclust.drift." + part, holder, AtomicDouble::get)
                    .description("A part of the drift score").register(registry);
        }
        registry.gauge("seqclust.model.version", servedVersion);
        registry.gauge("seqclust.records.pending", pending);
    }

    public void consumed() {
        consumed(topic, 1);
    }

    /** A record of {@code inputTopic} (the sequences or the audio topic) read by the topology. */
    public void consumed(String inputTopic, int count) {
        consumed.computeIfAbsent(inputTopic, t -> Counter.builder("seqclust.records.consumed").tag("topic", t)
                .description("Records read from an input topic by the assignment topology").register(registry)).increment(count);
    }

    /** A record of {@code inputTopic} sent to the dead-letter topic. */
    public void deadLettered(String inputTopic, ErrorCode code, int count) {
        deadLettered.computeIfAbsent(inputTopic + '\u0000' + code, key -> Counter.builder("seqclust.records.dead.lettered")
                .tag("topic", inputTopic).tag("reason", code.name())
                .description("Records sent to the dead-letter topic, by input topic and reason").register(registry)).increment(count);
    }

    public void assigned(String model, int cluster, double confidence, long nanos) {
        assigned.computeIfAbsent(model + '\u0000' + cluster, key -> Counter.builder("seqclust.records.assigned")
                .tag("topic", topic).tag("model", model).tag("cluster", Integer.toString(cluster))
                .description("Records assigned to a cluster").register(registry)).increment();
        this.confidence.record(confidence);
        latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * A micro-batch handed to the model, by what ended its wait: {@code full}, {@code caught-up} (nothing followed
     * its last record) or {@code waited} (its oldest record waited {@code batch-wait}).
     */
    public void batch(String trigger) {
        batches.computeIfAbsent(trigger, t -> Counter.builder("seqclust.assignment.batches").tag("trigger", t)
                .description("Micro-batches assigned, by what ended their wait").register(registry)).increment();
    }

    /** The model version the topology serves. */
    public void served(long version) {
        servedVersion.set(version);
    }

    /** Records held back until a first model exists (a change by delta: each stream task keeps its own). */
    public void pending(long delta) {
        pending.addAndGet(delta);
    }

    public void windowSize(Supplier<Number> size) {
        // strong: the supplier is a lambda nobody else holds, and a weakly held gauge would read NaN
        Gauge.builder("seqclust.window.size", size).description("Sequences in the training window")
                .strongReference(true).register(registry);
    }

    /** A checkpoint of the models topic that was not served, by reason ({@code CheckpointPolicy.Reason}). */
    public void checkpointRejected(String reason) {
        Counter.builder("seqclust.checkpoints.rejected").tag("reason", reason)
                .description("Checkpoints on the models topic refused, by reason; the served model stays")
                .register(registry).increment();
    }

    /** Share of the running training's epochs done (0 at its start; 1 after a success, 0 after a failure). */
    public void trainingProgress(double fraction) {
        trainingProgress.set(fraction);
    }

    /** The running training's last epoch loss, by term (each already weighted; their sum is the loss). */
    public void trainingLoss(Map<String, Double> terms) {
        terms.forEach((term, value) -> trainingLoss.computeIfAbsent(term, t -> {
            AtomicDouble holder = new AtomicDouble();
            Gauge.builder("seqclust.training.loss", holder, AtomicDouble::get).tag("term", t)
                    .description("Last epoch's mean training loss, by term").register(registry);
            return holder;
        }).set(value));
    }

    /** ARI of the last model trained here with the one it was to replace, on that one's anchors. */
    public void agreement(double ari) {
        agreement.set(ari);
    }

    /** The drift score and its parts; NaN while none is computed. */
    public void drift(Drift.Score score) {
        driftScore.set(score == null ? Double.NaN : score.score());
        driftParts.get("cluster_mix").set(score == null ? Double.NaN : score.clusterMix());
        driftParts.get("confidence_drop").set(score == null ? Double.NaN : score.confidenceDrop());
        driftParts.get("representation").set(score == null ? Double.NaN : score.representation());
    }

    public void training(String model, boolean success, long nanos) {
        String result = success ? "success" : "failure";
        Timer.builder("seqclust.training.duration").tag("model", model).tag("result", result)
                .description("Wall time of training runs, by result").register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
