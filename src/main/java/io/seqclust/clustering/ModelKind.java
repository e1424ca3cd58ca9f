package io.seqclust.clustering;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The registry of clustering models. Adding a model is one class (its settings record with DEFAULTS,
 * its training and its serving payload), its network if it has one, one constant here and its rows in
 * README: the service ({@code seqclust.<id>.*}), {@code evaluate} (its options) and the checkpoint
 * codec pick it up from here.
 */
public enum ModelKind {
    KMEANS_AVG(new ModelSpec<>(KMeansAvg.ID, "k-means on each sequence's time average and length",
            KMeansAvg.Settings.DEFAULTS, KMeansAvg::new, KMeansAvg::read)),
    KMEANS(new ModelSpec<>(KMeansPadded.ID, "k-means on the normalised, zero-padded sequences",
            KMeansPadded.Settings.DEFAULTS, KMeansPadded::new, KMeansPadded::read)),
    RDDC(new ModelSpec<>(Rddc.ID, "BiGRU + DDC loss, restarts, label-free selection",
            Rddc.Settings.DEFAULTS, Rddc::new, Rddc::read)),
    DTCR(new ModelSpec<>(Dtcr.ID, "dilated BiGRU seq2seq + fake-sample classifier + k-means",
            Dtcr.Settings.DEFAULTS, Dtcr::new, Dtcr::read)),
    KSHAPE(new ModelSpec<>(KShape.ID, "k-means under the shape-based distance (k-Shape)",
            KShape.Settings.DEFAULTS, KShape::new, KShape::read)),
    ROCKET(new ModelSpec<>(Rocket.ID, "ROCKET's random kernels (PPV and max), PCA, k-means",
            Rocket.Settings.DEFAULTS, Rocket::new, Rocket::read)),
    MINIROCKET(new ModelSpec<>(MiniRocket.ID, "MiniRocket's kernels and PCA (R-Clustering's), then spectral clustering, or"
            + " k-means where the neighbour graph falls apart",
            MiniRocket.Settings.DEFAULTS, MiniRocket::new, MiniRocket::read)),
    ENSEMBLE(new ModelSpec<>(Ensemble.ID, "a consensus of several models' partitions",
            Ensemble.Settings.DEFAULTS, Ensemble::new, Ensemble::read));

    /**
     * The model a service trains and {@code evaluate} runs when none is named: the best by the suite's mean Rand
     * index over every set (README's results).
     */
    public static final String DEFAULT_ID = MiniRocket.ID;

    private final ModelSpec<?> spec;

    ModelKind(ModelSpec<?> spec) {
        this.spec = spec;
    }

    public ModelSpec<?> spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    /** The model named {@code id}; also how configuration and the command line convert a name. */
    public static ModelKind of(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown model '" + id + "'; known: " + ids()));
    }

    public static String ids() {
        return Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
