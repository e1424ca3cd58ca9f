package io.seqclust.model.train;

/** Where a long training run reports its progress: logs, metrics. */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = p -> { };

    void report(Progress progress);
}
