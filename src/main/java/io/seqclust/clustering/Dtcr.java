package io.seqclust.clustering;

import io.seqclust.model.Adam;
import io.seqclust.model.DtcrNetwork;
import io.seqclust.model.EncoderEngine;
import io.seqclust.model.KMeans;
import io.seqclust.model.SequenceDecoder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * DTCR (Ma et al., NeurIPS 2019): trains {@link DtcrNetwork} on the window, then clusters the learned
 * representations with k-means (k-means++, restarts, lowest inertia). Serving: the representation's
 * Student-t similarity to each centroid (DEC's kernel), normalised; the cluster is the nearest centroid.
 */
public final class Dtcr implements ClusteringAlgorithm {

    public static final String NAME = "dtcr";

    /**
     * Every setting of a training run.
     *
     * @param units     GRU units per direction of each encoder layer
     * @param dilations each encoder layer's dilation
     * @param lambda    weight of the k-means term (the loss adds λ/2 times it)
     * @param decoder   what each decoder step reads
     * @param inputNoise standard deviation of the Gaussian noise on what the encoder reads while training (0: none)
     * @param engine    where training runs (serving always runs the Java pass)
     */
    public record Settings(int k, int[] units, int[] dilations, double lambda, double learningRate, int epochs,
                           int batchSize, double clipNorm, int kmeansRestarts, Rddc.Normalization normalization,
                           SequenceDecoder.Feed decoder, double inputNoise, EncoderEngine.Kind engine) {

        public static Settings defaults(int k) {
            return new Settings(k, new int[] {50, 30, 30}, new int[] {1, 4, 16}, 0.1, 1e-3, 30, 64, 5.0, 10,
                    Rddc.Normalization.channel, SequenceDecoder.Feed.TEACHER_FORCING, 0, EncoderEngine.Kind.auto);
        }

        public Settings withEpochs(int e) {
            return new Settings(k, units, dilations, lambda, learningRate, e, batchSize, clipNorm, kmeansRestarts, normalization, decoder, inputNoise, engine);
        }

        public Settings withLearningRate(double lr) {
            return new Settings(k, units, dilations, lambda, lr, epochs, batchSize, clipNorm, kmeansRestarts, normalization, decoder, inputNoise, engine);
        }

        public Settings withLambda(double l) {
            return new Settings(k, units, dilations, l, learningRate, epochs, batchSize, clipNorm, kmeansRestarts, normalization, decoder, inputNoise, engine);
        }

        public Settings withDecoder(SequenceDecoder.Feed feed, double noise) {
            return new Settings(k, units, dilations, lambda, learningRate, epochs, batchSize, clipNorm, kmeansRestarts, normalization, feed, noise, engine);
        }

        public Settings withEngine(EncoderEngine.Kind e) {
            return new Settings(k, units, dilations, lambda, learningRate, epochs, batchSize, clipNorm, kmeansRestarts, normalization, decoder, inputNoise, e);
        }

        public Settings withNormalization(Rddc.Normalization n) {
            return new Settings(k, units, dilations, lambda, learningRate, epochs, batchSize, clipNorm, kmeansRestarts, n, decoder, inputNoise, engine);
        }
    }

    /** The trained model and the clusters k-means gave the window's sequences. */
    public record Outcome(int[] labels, Assigner assigner) {
    }

    private final Settings settings;

    public Dtcr(Settings settings) {
        if (settings.units().length == 0 || settings.units().length != settings.dilations().length) {
            throw new IllegalArgumentException("dtcr needs one dilation per layer: units " + Arrays.toString(settings.units())
                    + ", dilations " + Arrays.toString(settings.dilations()));
        }
        if (settings.batchSize() < settings.k()) {
            throw new IllegalArgumentException("dtcr batch size " + settings.batchSize() + " is below k = " + settings.k());
        }
        SequenceDecoder.checkEngine(settings.decoder(), settings.engine()); // at configuration, not at the first training run
        if (!(settings.inputNoise() >= 0)) {
            throw new IllegalArgumentException("dtcr input noise must be a standard deviation ≥ 0, was " + settings.inputNoise());
        }
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Assigner train(List<double[][]> window, long seed, TrainingProgress progress) {
        return fit(window, seed, progress).assigner();
    }

    public Outcome fit(List<double[][]> window, long seed, TrainingProgress progress) {
        int k = settings.k();
        TrainingData prepared = TrainingData.of(NAME, window, k, settings.normalization());
        List<double[][]> data = prepared.sequences();
        int dims = data.get(0)[0].length;
        Random random = new Random(seed);
        DtcrNetwork net = new DtcrNetwork(dims, k, settings.units(), settings.dilations(), settings.decoder(),
                settings.engine(), random);
        Adam adam = new Adam(net.params(), settings.learningRate());
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            double sum = 0;
            List<List<double[][]>> batches = prepared.batches(settings.batchSize(), random);
            for (List<double[][]> batch : batches) {
                sum += net.lossAndGradients(batch, settings.lambda(), settings.inputNoise(), random).total();
                Adam.clipGradNorm(net.params(), settings.clipNorm());
                adam.step();
            }
            progress.report(epoch, settings.epochs(), sum / batches.size());
        }
        double[][] reps = new double[data.size()][];
        for (int i = 0; i < reps.length; i++) {
            reps[i] = net.represent(data.get(i));
        }
        KMeans.Result km = KMeans.fit(reps, k, settings.kmeansRestarts(), 300, random);
        return new Outcome(km.labels(), new Trained(settings.normalization(), prepared.stats(), net, km.centroids()));
    }

    /** Restores a model from {@link Assigner#payload()}. */
    public static Assigner restore(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            Rddc.Normalization normalization = Rddc.Normalization.values()[in.readInt()];
            double[][] stats = Rddc.readStats(in);
            DtcrNetwork net = DtcrNetwork.read(in);
            double[][] centroids = new double[net.k][net.representationSize()];
            for (double[] c : centroids) {
                for (int j = 0; j < c.length; j++) {
                    c[j] = in.readDouble();
                }
            }
            return new Trained(normalization, stats, net, centroids);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt dtcr payload: " + e, e);
        }
    }

    record Trained(Rddc.Normalization normalization, double[][] stats, DtcrNetwork net, double[][] centroids)
            implements Assigner {

        @Override
        public int k() {
            return net.k;
        }

        @Override
        public int dims() {
            return net.dims;
        }

        @Override
        public double[] probabilities(double[][] values) {
            return studentT(net.represent(Rddc.normalise(values, normalization, stats)), centroids);
        }

        @Override
        public byte[] payload() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(normalization.ordinal());
                Rddc.writeStats(out, stats);
                net.write(out);
                for (double[] c : centroids) {
                    for (double x : c) {
                        out.writeDouble(x);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
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
