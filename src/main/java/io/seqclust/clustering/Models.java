package io.seqclust.clustering;

import io.seqclust.config.SeqclustConfig;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/** The model families by name: which one trains, and how a checkpoint becomes a served model. */
public final class Models {

    private static final Map<String, Function<byte[], Assigner>> RESTORERS = Map.of(
            KMeansAvg.NAME, KMeansAvg::restore,
            Rddc.NAME, Rddc::restore,
            Dtcr.NAME, Dtcr::restore);

    private Models() {
    }

    public static ClusteringAlgorithm algorithm(SeqclustConfig config) {
        SeqclustConfig.Model model = config.model();
        if (KMeansAvg.NAME.equals(model.name())) {
            return new KMeansAvg(model.k(), model.restarts(), model.maxIterations());
        }
        if (Rddc.NAME.equals(model.name())) {
            SeqclustConfig.Rddc r = config.rddc();
            return new Rddc(new Rddc.Settings(model.k(), r.hiddenUnits(), r.layers(), r.denseUnits(), r.epochs(),
                    r.batchSize(), r.learningRate(), r.clipNorm(), r.restarts(), r.selection(), r.normalization(),
                    r.engine(), r.gruInit()));
        }
        if (Dtcr.NAME.equals(model.name())) {
            SeqclustConfig.Dtcr d = config.dtcr();
            return new Dtcr(new Dtcr.Settings(model.k(), d.units().stream().mapToInt(Integer::intValue).toArray(),
                    d.dilations().stream().mapToInt(Integer::intValue).toArray(), d.lambda(), d.learningRate(), d.epochs(),
                    d.batchSize(), d.clipNorm(), d.kmeansRestarts(), d.normalization(), d.decoder(), d.inputNoise(), d.engine()));
        }
        throw new IllegalArgumentException("unknown seqclust.model.name '" + model.name() + "'; known: " + RESTORERS.keySet());
    }

    /**
     * Restores a checkpoint and checks it before it may serve: a known model, a payload consistent with
     * the header, a true permutation, and finite probabilities summing to 1 on a probe sequence.
     *
     * @throws IllegalArgumentException when it must not serve
     */
    public static LoadedModel load(Checkpoint checkpoint) {
        Function<byte[], Assigner> restorer = RESTORERS.get(checkpoint.model());
        if (restorer == null) {
            throw new IllegalArgumentException("checkpoint of unknown model '" + checkpoint.model() + "'; known: " + RESTORERS.keySet());
        }
        Assigner assigner = restorer.apply(checkpoint.payload());
        if (assigner.k() != checkpoint.k() || assigner.dims() != checkpoint.dims()) {
            throw new IllegalArgumentException("checkpoint header says k=" + checkpoint.k() + ", dims=" + checkpoint.dims()
                    + " but its payload has k=" + assigner.k() + ", dims=" + assigner.dims());
        }
        int[] sorted = checkpoint.permutation().clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, ClusterAlignment.identity(checkpoint.k()))) {
            throw new IllegalArgumentException("checkpoint label permutation " + Arrays.toString(checkpoint.permutation())
                    + " is not a permutation of 0.." + (checkpoint.k() - 1));
        }
        double[] probe = assigner.probabilities(new double[][] {new double[checkpoint.dims()]});
        double sum = 0;
        for (double p : probe) {
            if (!Double.isFinite(p) || p < 0) {
                throw new IllegalArgumentException("checkpoint gives a non-finite or negative probability on a probe sequence");
            }
            sum += p;
        }
        if (probe.length != checkpoint.k() || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("checkpoint's probabilities on a probe sequence do not sum to 1 over k clusters");
        }
        return new LoadedModel(checkpoint, assigner);
    }
}
