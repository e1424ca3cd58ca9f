package io.seqclust.clustering;

/**
 * The number of clusters a model is trained for: a fixed k, or {@code auto} (chosen on each window without
 * labels, {@link AutoK}).
 *
 * @param fixed the k, or 0 for automatic
 */
public record KChoice(int fixed) {

    public static final KChoice AUTO = new KChoice(0);
    /** The range auto considers unless told otherwise (the configuration's and evaluate's defaults). */
    public static final String DEFAULT_MIN = "2";
    public static final String DEFAULT_MAX = "8";

    public KChoice {
        if (fixed != 0 && fixed < 2) {
            throw new IllegalArgumentException("k must be at least 2 (or auto), was " + fixed);
        }
    }

    /** "auto", or a whole number of at least 2; also how configuration and the command line convert it. */
    public static KChoice of(String text) {
        if (text.trim().equalsIgnoreCase("auto")) {
            return AUTO;
        }
        try {
            return new KChoice(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("k must be a whole number of at least 2 or auto, was '" + text + "'");
        }
    }

    public boolean auto() {
        return fixed == 0;
    }

    /** The algorithm of a model with these settings for this k: fixed, or chosen per window in [kMin, kMax]. */
    public ClusteringAlgorithm algorithm(ModelSpec<?> spec, Record settings, int kMin, int kMax) {
        return auto() ? new AutoK(spec, settings, kMin, kMax) : spec.create(settings, fixed);
    }

    @Override
    public String toString() {
        return auto() ? "auto" : Integer.toString(fixed);
    }
}
