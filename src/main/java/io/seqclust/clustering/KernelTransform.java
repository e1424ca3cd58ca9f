package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadWriter;

/** What one of {@link MiniRocket}'s kernel draws turns a normalised sequence into: a fixed number of features. */
interface KernelTransform {

    int featureCount();

    /** The features of x (T × D) written into the first {@link #featureCount} places of {@code f}, returned. */
    double[] into(double[][] x, double[] f);

    default double[] of(double[][] x) {
        return into(x, new double[featureCount()]);
    }

    void write(PayloadWriter out);
}
