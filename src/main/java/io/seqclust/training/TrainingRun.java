package io.seqclust.training;

import io.seqclust.model.train.Progress;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A training run as it goes: what it trains and why, how far it has come, and whether it must stop. A
 * cancelled run, or one past its time budget, stops at its next progress report (after an epoch, for the
 * gradient-trained models) or at the latest before it publishes: the served model stays either way.
 */
public final class TrainingRun {

    /** Why a run stopped before its end. */
    public static final class Stopped extends RuntimeException {
        private final boolean cancelled;

        Stopped(String message, boolean cancelled) {
            super(message);
            this.cancelled = cancelled;
        }

        /** Cancelled through the API (not a failure of the run), rather than over its budget. */
        public boolean cancelled() {
            return cancelled;
        }
    }

    /** For {@code GET /api/training}. */
    public record View(String model, String reason, String startedAt, double elapsedSeconds, Integer epoch, Integer epochs,
                       Map<String, Double> loss, Double etaSeconds, boolean cancelling) {
    }

    private final String model;
    private final String reason;
    private final Instant started;
    private final Duration budget;
    private volatile Progress progress;
    private volatile boolean cancelled;

    public TrainingRun(String model, String reason, Instant started, Duration budget) {
        this.model = model;
        this.reason = reason;
        this.started = started;
        this.budget = budget;
    }

    String reason() {
        return reason;
    }

    void report(Progress p) {
        progress = p;
    }

    void cancel() {
        cancelled = true;
    }

    /** @throws Stopped when the run was cancelled or has used up its time budget */
    void check(Instant now) {
        if (cancelled) {
            throw new Stopped("cancelled through the API", true);
        }
        if (Duration.between(started, now).compareTo(budget) > 0) {
            throw new Stopped("stopped: over its time budget of " + budget.toSeconds() + " s (seqclust.training.time-budget)", false);
        }
    }

    public View view(Instant now) {
        Progress p = progress;
        double elapsed = Duration.between(started, now).toMillis() / 1000.0;
        return p == null
                ? new View(model, reason, started.toString(), elapsed, null, null, null, null, cancelled)
                : new View(model, reason, started.toString(), elapsed, p.epoch(), p.epochs(), p.loss().terms(), p.etaSeconds(), cancelled);
    }
}
