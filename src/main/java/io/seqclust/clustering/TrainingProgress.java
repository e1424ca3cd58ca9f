package io.seqclust.clustering;

/** Progress of a long training run, for logs and metrics. */
@FunctionalInterface
public interface TrainingProgress {

    TrainingProgress NONE = (step, total, loss) -> { };

    /** Step {@code step} of {@code total} finished with the given loss (the objective the model minimises). */
    void report(int step, int total, double loss);
}
