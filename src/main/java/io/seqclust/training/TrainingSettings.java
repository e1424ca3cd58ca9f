package io.seqclust.training;

import io.quarkus.runtime.Startup;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.promotion.Promotion;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The trainer's settings as the control plane, the promotion gate and the run take them, checked together
 * before anything starts: a threshold the window can never reach stops the start, naming the settings.
 */
@Startup(0)
@ApplicationScoped
public class TrainingSettings {

    private final ControlPlane.Settings plane;
    private final Promotion.Settings promotion;
    private final int threads;

    public TrainingSettings(SeqclustConfig config) {
        SeqclustConfig.Training t = config.training();
        this.plane = new ControlPlane.Settings(t.minRecords(), t.minNewRecords(), t.interval(), t.backoff(), t.maxBackoff(),
                t.driftThreshold()).validFor(config.window().capacity());
        this.promotion = new Promotion.Settings(t.promotion().minAgreement(), t.promotion().qualityMargin());
        int cores = Runtime.getRuntime().availableProcessors();
        this.threads = t.threads().orElse(config.assigns() ? Math.max(1, cores - 1) : cores);
    }

    ControlPlane.Settings plane() {
        return plane;
    }

    Promotion.Settings promotion() {
        return promotion;
    }

    /** Cores a run may use: seqclust.training.threads, else all but the one the stream needs when this process assigns. */
    int threads() {
        return threads;
    }
}
