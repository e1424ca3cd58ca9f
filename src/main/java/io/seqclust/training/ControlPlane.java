package io.seqclust.training;

import io.seqclust.drift.Drift;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * When the trainer trains: a small state machine over what it knows, fed by the caller with facts and the
 * time, so that it does no I/O and tests drive it by hand. It decides nothing until the models topic and the
 * training window have been read to where they stood at startup (so a restart does not mistake a
 * half-rebuilt window, or a model not read yet, for none); it counts only records newer than the served
 * model (so a restart of a healthy service trains nothing); once the interval since the served model has
 * passed, a drift score at the threshold or enough newer records make a retrain due; and after a failed run
 * it waits, doubling the wait after each further failure, before it tries again.
 */
public final class ControlPlane {

    public enum State {
        /** The models topic has not been read to its end yet. */
        WAITING_FOR_MODELS,
        /** The training window is still reading the records that were on the topic at startup. */
        REBUILDING_WINDOW,
        /** No model yet, and too few records to train the first one. */
        WAITING_FOR_RECORDS,
        /** A model is served; no retrain is due. */
        IDLE,
        TRAINING,
        /** The last run failed; the next automatic one waits until {@link Status#retryAt()}. */
        BACKING_OFF
    }

    /**
     * @param minRecords    window size needed for the first model
     * @param minNewRecords records newer than the served model needed for a scheduled retrain
     * @param interval      shortest time between the served model's creation and a scheduled retrain
     * @param backoff       wait after a first failure; it doubles with each further one
     * @param maxBackoff    longest wait
     * @param driftThreshold drift score at or above which a retrain is due
     */
    public record Settings(int minRecords, int minNewRecords, Duration interval, Duration backoff, Duration maxBackoff,
                           double driftThreshold) {
        /** @param windowCapacity {@code seqclust.window.capacity}: a threshold above it could never be reached */
        public Settings validFor(int windowCapacity) {
            if (minRecords > windowCapacity) {
                throw new IllegalArgumentException("seqclust.training.min-records = " + minRecords
                        + " is above seqclust.window.capacity = " + windowCapacity + ": no first model could ever be trained");
            }
            if (minNewRecords > windowCapacity) {
                throw new IllegalArgumentException("seqclust.training.min-new-records = " + minNewRecords
                        + " is above seqclust.window.capacity = " + windowCapacity + ": no scheduled retrain could ever start");
            }
            if (backoff.compareTo(maxBackoff) > 0) {
                throw new IllegalArgumentException("seqclust.training.backoff = " + backoff + " is above seqclust.training.max-backoff = "
                        + maxBackoff);
            }
            return this;
        }

        /**
         * Why a run on a window this small deserves a second look, or empty: a run asked for through the API
         * may train below {@code seqclust.training.min-records}, and on real data a window of tens of sequences
         * partitions far worse than the same classes in a larger one (README, "Train→test: why it stays at 0.747").
         */
        public Optional<String> smallWindowWarning(int windowSize) {
            if (windowSize >= minRecords) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "trained on %d sequences, fewer than seqclust.training.min-records = %d:"
                    + " a window this small often splits along other lines than a larger one would; retrain when more"
                    + " records have arrived", windowSize, minRecords));
        }
    }

    /**
     * What the trainer knows now.
     *
     * @param modelsRead     the models topic has been read to its end once
     * @param windowRebuilt  the window has read every partition to where it ended at startup
     * @param windowSize     usable sequences in the window
     * @param servedVersion  the served model's version, 0 if none
     * @param servedAt       when the served model was created, null if none
     * @param newRecords     sequences of the window newer than the served model
     * @param drift          the drift score of those, null if not computed (too few, or a model without a reference)
     */
    public record Facts(boolean modelsRead, boolean windowRebuilt, int windowSize, long servedVersion, Instant servedAt,
                        long newRecords, Drift.Score drift) {
        boolean hasModel() {
            return servedVersion > 0;
        }
    }

    /** For {@code /api/status}: the state, failures in a row, the last failure and when the next try may start. */
    public record Status(State state, int failures, String lastFailure, Instant retryAt) {
    }

    private final Settings settings;
    private State state = State.WAITING_FOR_MODELS;
    private int failures;
    private String lastFailure;
    private Instant retryAt;

    public ControlPlane(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @return the reason to start a run now (the state is then TRAINING until {@link #finished}), or empty
     */
    public synchronized Optional<String> decide(Facts facts, Instant now) {
        if (state == State.TRAINING) {
            return Optional.empty();
        }
        if (!facts.modelsRead()) {
            state = State.WAITING_FOR_MODELS;
            return Optional.empty();
        }
        if (!facts.windowRebuilt()) {
            state = State.REBUILDING_WINDOW;
            return Optional.empty();
        }
        if (retryAt != null && now.isBefore(retryAt)) {
            state = State.BACKING_OFF;
            return Optional.empty();
        }
        Optional<String> reason = due(facts, now);
        if (reason.isPresent()) {
            state = State.TRAINING;
        } else {
            state = facts.hasModel() ? State.IDLE : State.WAITING_FOR_RECORDS;
        }
        return reason;
    }

    private Optional<String> due(Facts facts, Instant now) {
        String retry = failures > 0 ? ", attempt " + (failures + 1) : "";
        if (!facts.hasModel()) {
            return facts.windowSize() >= settings.minRecords()
                    ? Optional.of("first model (window has " + facts.windowSize() + " sequences" + retry + ")")
                    : Optional.empty();
        }
        boolean intervalPassed = facts.servedAt() == null
                || Duration.between(facts.servedAt(), now).compareTo(settings.interval()) >= 0;
        if (!intervalPassed) {
            return Optional.empty();
        }
        Drift.Score drift = facts.drift();
        if (drift != null && drift.score() >= settings.driftThreshold()) {
            return Optional.of(String.format(Locale.ROOT, "drift (score %.3f >= %.3f on %d sequences newer than v%d: cluster mix %.3f,"
                    + " confidence drop %.3f, representation %.3f%s)", drift.score(), settings.driftThreshold(), drift.records(),
                    facts.servedVersion(), drift.clusterMix(), drift.confidenceDrop(), drift.representation(), retry));
        }
        if (facts.newRecords() >= settings.minNewRecords()) {
            return Optional.of("schedule (" + facts.newRecords() + " sequences newer than v" + facts.servedVersion() + retry + ")");
        }
        return Optional.empty();
    }

    /** A run asked for from outside (the API): false if one is running. */
    public synchronized boolean startRequested() {
        if (state == State.TRAINING) {
            return false;
        }
        state = State.TRAINING;
        return true;
    }

    /**
     * The run ended. A failure sets the wait before the next automatic try.
     *
     * @return after a failure, how long that wait is; else zero
     */
    public synchronized Duration finished(boolean success, String failure, Instant now) {
        if (success) {
            failures = 0;
            lastFailure = null;
            retryAt = null;
            state = State.IDLE;
            return Duration.ZERO;
        }
        failures++;
        lastFailure = failure;
        Duration wait = backoff(failures);
        retryAt = now.plus(wait);
        state = State.BACKING_OFF;
        return wait;
    }

    /** Work that is not a training run (a rollback) ended: the state is as before it, failures untouched. */
    public synchronized void released() {
        state = failures > 0 ? State.BACKING_OFF : State.IDLE;
    }

    /** {@code backoff × 2^(failures − 1)}, at most {@code maxBackoff}. */
    Duration backoff(int failuresInARow) {
        Duration wait = settings.backoff();
        for (int i = 1; i < failuresInARow && wait.compareTo(settings.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    public synchronized Status status() {
        return new Status(state, failures, lastFailure, retryAt);
    }
}
