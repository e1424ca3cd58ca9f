package io.seqclust.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The network of Deep Temporal Clustering Representation (Ma et al., NeurIPS 2019): a stacked
 * bidirectional dilated GRU whose layers' final states, concatenated, are the representation h; a GRU
 * decoder started from h that reconstructs the sequence through a linear readout ({@link SequenceDecoder},
 * teacher-forced or free-running); a classifier telling real sequences from fakes (a fifth of
 * their steps shuffled); and the spectral k-means term on the real sequences' h. Loss =
 * reconstruction MSE + classification cross-entropy + λ/2 · k-means. Forward and backward are explicit;
 * see the gradient-check tests.
 */
public final class DtcrNetwork {

    /** Units of the classifier's hidden layer (the paper's). */
    static final int CLASSIFIER_UNITS = 128;

    public final int dims;
    public final int k;
    private final int[] units;
    private final int[] dilations;
    private final BiGruEncoder encoder;
    private final SequenceDecoder decoder;
    private final Dense classifierHidden;
    private final Dense classifierOut;
    private final EncoderEngine engine;
    private final List<Param> params = new ArrayList<>();
    private volatile BiGruEncoder.Prepared serving;

    /** One step's loss terms (the k-means term unweighted) and the weight λ it was trained with. */
    public record StepLoss(double reconstruction, double classification, double kmeans, double lambda) {
        public double total() {
            return reconstruction + classification + lambda / 2 * kmeans;
        }
    }

    /** @param engine where the encoder and (teacher-forced) decoder train; serving always runs the Java pass */
    public DtcrNetwork(int dims, int k, int[] units, int[] dilations, SequenceDecoder.Feed feed, EncoderEngine.Kind engine,
                       Random random) {
        this.dims = dims;
        this.k = k;
        this.units = units.clone();
        this.dilations = dilations.clone();
        encoder = new BiGruEncoder(dims, units, dilations, true, Gru.Init.uniform, random);
        int m = encoder.outputSize();
        decoder = new SequenceDecoder(dims, m, feed, engine, random);
        classifierHidden = new Dense("cls.hidden", m, CLASSIFIER_UNITS, random);
        classifierOut = new Dense("cls.out", CLASSIFIER_UNITS, 2, random);
        params.addAll(encoder.params());
        params.addAll(decoder.params());
        params.addAll(classifierHidden.params());
        params.addAll(classifierOut.params());
        this.engine = EncoderEngine.create(engine, encoder);
    }

    public List<Param> params() {
        return params;
    }

    public int representationSize() {
        return encoder.outputSize();
    }

    /**
     * Forward and backward on a batch of real sequences and a fake made from each: zeroes, then
     * accumulates, the params' gradients. F (the k-means term's indicator) is taken from the batch.
     *
     * @param noise standard deviation of Gaussian noise added to what the encoder reads (0 for none); the
     *              decoder still reconstructs the clean sequence, as a denoising autoencoder
     */
    public StepLoss lossAndGradients(List<double[][]> real, double lambda, double noise, Random random) {
        List<double[][]> encoded = new ArrayList<>(2 * real.size());
        for (double[][] x : real) {
            encoded.add(noisy(x, noise, random));
        }
        for (double[][] x : real) {
            encoded.add(noisy(FakeSamples.of(x, random), noise, random));
        }
        return step(real, encoded, lambda, null, true);
    }

    private static double[][] noisy(double[][] x, double sd, Random random) {
        if (sd == 0) {
            return x;
        }
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            y[t] = x[t].clone();
            for (int d = 0; d < y[t].length; d++) {
                y[t][d] += sd * random.nextGaussian();
            }
        }
        return y;
    }

    /**
     * @param real     the real sequences: the decoder's targets
     * @param encoded  what the encoder reads: the real sequences (or noisy copies), then one fake for each
     * @param f        the k-means indicator (n × k), or null to take it from the batch (training); fixed by gradient checks
     * @param backward false for the loss alone
     */
    StepLoss step(List<double[][]> real, List<double[][]> encoded, double lambda, double[][] f, boolean backward) {
        if (encoded.size() != 2 * real.size()) {
            throw new IllegalArgumentException("the encoder reads each real sequence and one fake for each");
        }
        if (backward) {
            for (Param p : params) {
                p.zeroGrad();
            }
        }
        StepLoss[] result = new StepLoss[1];
        engine.run(encoded, h -> head(real, h, lambda, f, backward, result));
        return result[0];
    }

    /** Everything after the encoder, for the real sequences then the fakes: returns dL/dh, or null. */
    private double[][] head(List<double[][]> real, double[][] h, double lambda, double[][] f, boolean backward,
                            StepLoss[] result) {
        int n = real.size();
        double[][] dH = backward ? new double[h.length][] : null;

        double[][] pre = classifierHidden.forward(h);
        double[][] hiddenAct = RddcNetwork.relu(pre);
        double[][] p = RddcNetwork.softmaxRows(classifierOut.forward(hiddenAct));
        double classification = 0;
        double[][] dLogits = new double[h.length][2];
        for (int i = 0; i < h.length; i++) {
            int label = i < n ? 1 : 0;
            classification -= Math.log(Math.max(p[i][label], 1e-300)) / h.length;
            dLogits[i][0] = (p[i][0] - (label == 0 ? 1 : 0)) / h.length;
            dLogits[i][1] = (p[i][1] - (label == 1 ? 1 : 0)) / h.length;
        }

        double[][] hReal = java.util.Arrays.copyOf(h, n);
        double[][] indicator = f != null ? f : SpectralKMeansLoss.indicator(hReal, k);
        SpectralKMeansLoss.Result km = SpectralKMeansLoss.evaluate(hReal, indicator);

        SequenceDecoder.Result decoded = decoder.reconstruct(real, java.util.Arrays.copyOf(h, n), backward);
        double reconstruction = decoded.loss();
        result[0] = new StepLoss(reconstruction, classification, km.value(), lambda);
        if (!backward) {
            return null;
        }

        double[][] dClsIn = classifierHidden.backward(h, reluBackward(pre, classifierOut.backward(hiddenAct, dLogits)));
        int m = h[0].length;
        double[][] dInitial = decoded.dInitial();
        for (int i = 0; i < h.length; i++) {
            dH[i] = dClsIn[i];
            if (i < n) {
                for (int j = 0; j < m; j++) {
                    dH[i][j] += dInitial[i][j] + lambda / 2 * km.dH()[i][j];
                }
            }
        }
        return dH;
    }

    private static double[][] reluBackward(double[][] pre, double[][] dy) {
        for (int i = 0; i < pre.length; i++) {
            for (int j = 0; j < pre[i].length; j++) {
                if (pre[i][j] <= 0) {
                    dy[i][j] = 0;
                }
            }
        }
        return dy;
    }

    /** The representation h of one sequence. Safe from many threads once training has ended. */
    public double[] represent(double[][] x) {
        BiGruEncoder.Prepared w = serving;
        if (w == null) {
            w = encoder.prepare();
            serving = w;
        }
        double[] h = new double[encoder.outputSize()];
        encoder.forward(x, h, w);
        return h;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(dims);
        out.writeInt(k);
        out.writeInt(units.length);
        for (int l = 0; l < units.length; l++) {
            out.writeInt(units[l]);
            out.writeInt(dilations[l]);
        }
        for (Param p : params) {
            RddcNetwork.writeArray(out, p.value);
        }
    }

    public static DtcrNetwork read(DataInputStream in) throws IOException {
        int dims = in.readInt();
        int k = in.readInt();
        int layers = in.readInt();
        if (layers < 1 || layers > 64) {
            throw new IOException("implausible layer count " + layers);
        }
        int[] units = new int[layers];
        int[] dilations = new int[layers];
        for (int l = 0; l < layers; l++) {
            units[l] = in.readInt();
            dilations[l] = in.readInt();
        }
        // the decoder is a training-time part: how it is fed does not matter to a restored model
        DtcrNetwork net = new DtcrNetwork(dims, k, units, dilations, SequenceDecoder.Feed.TEACHER_FORCING,
                EncoderEngine.Kind.java, new Random(0));
        for (Param p : net.params) {
            RddcNetwork.readArray(in, p.value);
        }
        return net;
    }
}
