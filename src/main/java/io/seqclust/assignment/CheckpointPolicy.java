package io.seqclust.assignment;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.LoadedModel;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a checkpoint from the models topic must be, beyond a readable one, before it may replace the served
 * model: a version after the served one and far from overflow, at least two clusters, and the served D
 * (or the pinned {@code seqclust.model.dims}) within {@code seqclust.limits.dims}. Pure, for tests.
 */
public final class CheckpointPolicy {

    /** Versions above this are refused, so that no trainer's next version can overflow. */
    public static final long MAX_VERSION = 1L << 53;

    /** Why a checkpoint is refused: the {@code reason} label of {@code seqclust_checkpoints_rejected_total}. */
    public enum Reason { UNSIGNED, SIGNATURE, UNREADABLE, VERSION, REPLAY, CLUSTERS, DIMS, PROBE }

    public record Refusal(Reason reason, String message) {
    }

    private CheckpointPolicy() {
    }

    /**
     * @param served     the model served now, or null
     * @param pinnedDims {@code seqclust.model.dims}, when set
     * @param maxDims    {@code seqclust.limits.dims}
     */
    public static Optional<Refusal> refusal(Checkpoint next, LoadedModel served, OptionalInt pinnedDims, int maxDims) {
        if (next.version() < 1 || next.version() > MAX_VERSION) {
            return refuse(Reason.VERSION, "version " + next.version() + " is outside 1.." + MAX_VERSION);
        }
        if (served != null && next.version() <= served.version()) {
            return refuse(Reason.REPLAY, "version " + next.version() + " is not after the served v" + served.version()
                    + " (a replayed or stale checkpoint)");
        }
        if (next.k() < 2) {
            return refuse(Reason.CLUSTERS, "k = " + next.k() + ": a model needs at least 2 clusters");
        }
        if (next.dims() > maxDims) {
            return refuse(Reason.DIMS, "D = " + next.dims() + " is over seqclust.limits.dims = " + maxDims);
        }
        if (pinnedDims.isPresent() && next.dims() != pinnedDims.getAsInt()) {
            return refuse(Reason.DIMS, "D = " + next.dims() + " but seqclust.model.dims = " + pinnedDims.getAsInt());
        }
        if (pinnedDims.isEmpty() && served != null && next.dims() != served.dims()) {
            return refuse(Reason.DIMS, "D = " + next.dims() + " but the served model takes D = " + served.dims()
                    + " (set seqclust.model.dims to change D on purpose)");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(Reason reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }
}
