package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.math.KMeans;
import io.seqclust.model.engine.DecoderEngine;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.network.DtcrNetwork;
import io.seqclust.model.serving.FloatEncoder;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingLoop;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * DTCR (Ma et al., NeurIPS 2019): trains {@link DtcrNetwork} on the window, then clusters the learned
 * representations with k-means (k-means++, restarts, lowest inertia). Serving: the representation's
 * Student-t similarity to each centroid (DEC's kernel), normalised; the cluster is the nearest centroid.
 */
public final class Dtcr implements ClusteringAlgorithm {

    public static final String ID = "dtcr";

    /** Every setting of a training run. */
    public record Settings(
            @Setting("GRU units per direction of each encoder layer") @NotNull @Size(min = 1, max = 16) int[] units,
            @Setting("each encoder layer's dilation") @NotNull @Size(min = 1, max = 16) int[] dilations,
            @Setting("weight of the k-means term (the loss adds lambda/2 times it)") @DecimalMin("0") double lambda,
            @Setting("Adam's learning rate") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double learningRate,
            @Setting("training epochs") @Min(1) @Max(1_000_000) int epochs,
            @Setting("optimiser steps; above 0 they replace epochs") @Min(0) @Max(1_000_000_000) int steps,
            @Setting(GradientTraining.MIN_STEPS) @Min(0) @Max(1_000_000_000) int minSteps,
            @Setting("optimiser steps of pretraining first, on reconstruction and the fake-sample task alone (the k-means"
                    + " term off; 0: none)") @Min(0) @Max(1_000_000_000) int pretrainSteps,
            @Setting("real sequences per batch (each gets a fake), more than k; a last batch of k or fewer is dropped")
            @Min(2) @Max(1_000_000) int batchSize,
            @Setting("global gradient-norm clipping") @DecimalMin(value = "0", inclusive = false) double clipNorm,
            @Setting("k-means restarts on the learned representations") @Min(1) @Max(1000) int kmeansRestarts,
            @Setting(Normalizer.SETTING)
            @NotNull Normalization normalization,
            @Setting("what each decoder step reads: teacher-forcing (the true previous value) or free-running (its own"
                    + " previous output; java engine only)") @NotNull ReconstructionDecoder.Feed decoder,
            @Setting("standard deviation of Gaussian noise on the encoder's input while training (0: none)")
            @DecimalMin("0") double inputNoise,
            @Setting("where training runs: auto (nd4j in the gpu build, else packed when the Vector API is there, else java), packed, java or nd4j") @NotNull EngineKind engine)
            implements GradientTraining {

        public static final Settings DEFAULTS = new Settings(new int[] {50, 30, 30}, new int[] {1, 4, 16}, 0.1, 1e-3, 30, 0, 0, 0, 64,
                5.0, 10, Normalization.CHANNEL, ReconstructionDecoder.Feed.TEACHER_FORCING, 0, EngineKind.AUTO);
    }

    private static final int KMEANS_ITERATIONS = 300;

    private final Settings settings;
    private final int k;

    public Dtcr(Settings settings, int k) {
        if (settings.units().length != settings.dilations().length) {
            throw new IllegalArgumentException("dtcr needs one dilation per layer: units " + Arrays.toString(settings.units())
                    + ", dilations " + Arrays.toString(settings.dilations()));
        }
        if (Arrays.stream(settings.units()).anyMatch(u -> u < 1) || Arrays.stream(settings.dilations()).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("dtcr units and dilations must be at least 1: units " + Arrays.toString(settings.units())
                    + ", dilations " + Arrays.toString(settings.dilations()));
        }
        if (k < 1 || settings.batchSize() <= k) {
            throw new IllegalArgumentException("dtcr needs a batch size above k; k = " + k + ", batch size " + settings.batchSize());
        }
        DecoderEngine.check(settings.decoder(), settings.engine()); // at configuration, not at the first training run
        this.settings = settings;
        this.k = k;
    }

    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        TrainingSet set = TrainingSet.of(ID, window, k, settings);
        List<double[][]> data = set.data();
        Random random = new Random(seed);
        DtcrNetwork net = new DtcrNetwork(set.dims(), k, settings.units(), settings.dilations(), settings.decoder(),
                settings.engine(), settings.lambda(), settings.inputNoise(), random);
        Progress.Clock clock = new Progress.Clock(set.epochs(), progress);
        set.pretrain(net.pretraining(), random, clock);
        TrainingLoop.Result trained = set.train(net, random, clock);
        BiGruEncoder.Weights encoder = net.serving();
        double[][] reps = new double[data.size()][];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = encoder.encode(data.get(i));
        }
        KMeans.Result km = KMeans.fit(reps, k, settings.kmeansRestarts(), KMEANS_ITERATIONS, random);
        return new Fit(new Served(set.normalizer(), encoder, km.centroids()), km.labels(), trained.lastEpochLoss().total(), List.of());
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        Normalizer normalizer = Normalizer.read(in);
        BiGruEncoder.Weights encoder = NetworkCodec.readEncoder(in);
        normalizer.requireDims(encoder.in(), "the dtcr encoder");
        int k = in.readInt("k", 1, 1 << 16);
        return new Served(normalizer, encoder, in.readMatrix("centroids", k, encoder.outputSize()));
    }

    /** The served model: the encoder (no decoder, no classifier) and the k-means centroids of its representations. */
    private record Served(Normalizer normalizer, BiGruEncoder.Weights encoder, FloatEncoder fast, double[][] centroids)
            implements Assigner {

        Served(Normalizer normalizer, BiGruEncoder.Weights encoder, double[][] centroids) {
            this(normalizer, encoder, new FloatEncoder(encoder), centroids);
        }

        @Override
        public int k() {
            return centroids.length;
        }

        @Override
        public int dims() {
            return encoder.in();
        }

        @Override
        public double[] probabilities(double[][] values) {
            return studentT(fast.encode(normalizer.apply(values)), centroids);
        }

        @Override
        public double[][] probabilities(List<double[][]> batch) {
            double[][] h = fast.encodeAll(batch.stream().map(normalizer::apply).toList());
            double[][] p = new double[h.length][];
            for (int i = 0; i < h.length; i++) {
                p[i] = studentT(h[i], centroids);
            }
            return p;
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            NetworkCodec.writeEncoder(out, encoder);
            out.writeInt(centroids.length).writeMatrix(centroids);
        }
    }

    /** DEC's soft assignment: q_j ∝ 1 / (1 + ‖h − μ_j‖²), a heavy-tailed kernel that stays informative far from every centroid. */
    static double[] studentT(double[] h, double[][] centroids) {
        double[] q = new double[centroids.length];
        double sum = 0;
        for (int j = 0; j < q.length; j++) {
            q[j] = 1 / (1 + KMeans.squaredDistance(h, centroids[j]));
            sum += q[j];
        }
        for (int j = 0; j < q.length; j++) {
            q[j] /= sum;
        }
        return q;
    }
}
