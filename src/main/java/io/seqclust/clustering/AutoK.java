package io.seqclust.clustering;

import io.seqclust.model.train.TrainingProgress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Chooses the number of clusters without labels, then trains the model with it: for each k of a range, the
 * model clusters several random 80 % resamples of the window, and the consensus index of each pair of
 * sequences (the share of the resamples holding both that put them together) is counted as ambiguous when
 * it lies strictly between 0.1 and 0.9. The k with the smallest proportion of ambiguous pairs (PAC;
 * Șenbabaoğlu et al., 2014, after Monti et al., 2003) is the most stable partition, and wins; of the ks within
 * {@link #TIE} of the smallest PAC, the largest: merging two clear groups is as stable as keeping them apart
 * (both score 0 on three well-separated groups), splitting one is not.
 */
public final class AutoK implements ClusteringAlgorithm {

    /** Resamples per k (each holds {@link Resampling#SHARE} of the window), and the pairs the consensus is counted on. */
    static final int RESAMPLES = 5;
    static final int MAX_SEQUENCES = 400;
    static final double TIE = 0.01;
    /**
     * k-means restarts of a resample's fit, for a model with the {@value #RESTARTS_KEY} setting (fewer if it is set
     * lower): the resamples measure how stable a k's partitions are, and the best of many restarts hides the
     * instability they look for. minirocket over the suite ({@code evaluate --suite --k auto}, seed 1): with its 100
     * restarts in the resamples too, the class count was chosen on 4 of 26 sets, with 10 on 7.
     */
    static final int RESAMPLE_RESTARTS = 10;
    static final String RESTARTS_KEY = "kmeans-restarts";
    /**
     * Kernel draws of a resample's fit, for a model with the {@value #DRAWS_KEY} setting: the medoid of several draws
     * is chosen for its agreement, which would hide the instability the resamples measure (as many restarts do), and
     * each draw costs a fit.
     */
    static final int RESAMPLE_DRAWS = 1;
    static final String DRAWS_KEY = "draws";

    private final ModelSpec<?> spec;
    private final Record settings;
    private final int kMin;
    private final int kMax;

    public AutoK(ModelSpec<?> spec, Record settings, int kMin, int kMax) {
        if (kMin < 2 || kMax < kMin) {
            throw new IllegalArgumentException("automatic k needs 2 <= k-min <= k-max, was " + kMin + ".." + kMax);
        }
        spec.create(settings, kMax); // settings that cannot train with the largest k fail here, not at the first run
        this.spec = spec;
        this.settings = settings;
        this.kMin = kMin;
        this.kMax = kMax;
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        Random random = new Random(seed);
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < window.size(); i++) {
            pool.add(i);
        }
        java.util.Collections.shuffle(pool, random);
        List<double[][]> sample = pool.subList(0, Math.min(MAX_SEQUENCES, pool.size())).stream().map(window::get).toList();
        List<Fit.Candidate> candidates = new ArrayList<>();
        double[] pacs = new double[kMax + 1];
        java.util.Arrays.fill(pacs, Double.POSITIVE_INFINITY);
        double lowest = Double.POSITIVE_INFINITY;
        for (int k = kMin; k <= kMax && k < sample.size(); k++) {
            pacs[k] = pac(sample, k, seed);
            candidates.add(new Fit.Candidate("k=" + k + " (PAC " + String.format("%.3f", pacs[k]) + ")", pacs[k], null));
            lowest = Math.min(lowest, pacs[k]);
        }
        int best = kMin;
        for (int k = kMin; k <= kMax; k++) {
            if (pacs[k] <= lowest + TIE) {
                best = k;
            }
        }
        Fit fit = spec.create(settings, best).fit(window, seed, progress);
        candidates.addAll(fit.candidates());
        return new Fit(fit.assigner(), fit.labels(), fit.loss(), candidates);
    }

    /** The proportion of ambiguous pairs over the resamples' clusterings with k clusters; +∞ when k cannot train. */
    double pac(List<double[][]> sample, int k, long seed) {
        List<int[]> partitions;
        try {
            partitions = Resampling.partitions(spec, forResamples(settings), k, sample, RESAMPLES, new Random(seed * 7919 + k));
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY;
        }
        int n = sample.size();
        long pairs = 0;
        long ambiguous = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                int both = 0;
                int together = 0;
                for (int[] labels : partitions) {
                    if (labels[i] >= 0 && labels[j] >= 0) {
                        both++;
                        if (labels[i] == labels[j]) {
                            together++;
                        }
                    }
                }
                if (both > 0) {
                    pairs++;
                    double consensus = (double) together / both;
                    if (consensus > 0.1 && consensus < 0.9) {
                        ambiguous++;
                    }
                }
            }
        }
        return pairs == 0 ? Double.POSITIVE_INFINITY : (double) ambiguous / pairs;
    }

    /**
     * The settings a resample's fit runs with: at most {@link #RESAMPLE_RESTARTS} k-means restarts and
     * {@link #RESAMPLE_DRAWS} kernel draws.
     */
    static Record forResamples(Record settings) {
        Map<String, Object> given = ModelSettings.describe(settings);
        Map<String, Integer> caps = Map.of(RESTARTS_KEY, RESAMPLE_RESTARTS, DRAWS_KEY, RESAMPLE_DRAWS);
        return ModelSettings.bind(settings, key -> caps.containsKey(key) && given.get(key) instanceof Integer v && v > caps.get(key)
                ? caps.get(key) : null);
    }
}
