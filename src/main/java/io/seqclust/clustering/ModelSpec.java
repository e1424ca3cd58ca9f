package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One model family as the registry ({@link ModelKind}) knows it: its name, its settings record with the
 * defaults, how it is built for k clusters, and how its serving payload is read back.
 *
 * @param id       the name in {@code seqclust.model.name}, checkpoints and assignments, and the prefix of its keys
 * @param summary  one line for {@code --help}
 * @param defaults the settings record's {@code DEFAULTS}: the one place its defaults exist
 * @param factory  settings and k → the training algorithm (throws IllegalArgumentException on settings that cannot train)
 * @param reader   a serving payload → the servable model, with nothing of the training machinery
 */
public record ModelSpec<S extends Record>(String id, String summary, S defaults,
                                          BiFunction<S, Integer, ClusteringAlgorithm> factory,
                                          Function<PayloadReader, Assigner> reader) {

    @SuppressWarnings("unchecked")
    public Class<S> settingsType() {
        return (Class<S>) defaults.getClass();
    }

    /** @param settings of this model's settings type */
    public ClusteringAlgorithm create(Record settings, int k) {
        return factory.apply(settingsType().cast(settings), k);
    }
}
