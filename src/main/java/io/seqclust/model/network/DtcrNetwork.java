package io.seqclust.model.network;

import io.seqclust.model.engine.DecoderEngine;
import io.seqclust.model.engine.EncoderEngine;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Dense;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.Param;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.loss.CrossEntropy;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.loss.SpectralKMeansLoss;
import io.seqclust.model.train.Objective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The network of Deep Temporal Clustering Representation (Ma et al., NeurIPS 2019): a stacked
 * bidirectional dilated GRU whose layers' final states, concatenated, are the representation h; a GRU
 * decoder started from h that reconstructs the sequence through a linear readout
 * ({@link ReconstructionDecoder}, teacher-forced or free-running); a classifier telling real sequences
 * from fakes (a fifth of their steps shuffled); and the spectral k-means term on the real sequences' h.
 * Loss = reconstruction MSE + classification cross-entropy + λ/2 · k-means. Forward and backward are
 * explicit; see the gradient-check tests. Serving keeps the encoder only.
 */
public final class DtcrNetwork implements Objective {

    /** Units of the classifier's hidden layer (the paper's). */
    static final int CLASSIFIER_UNITS = 128;
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String CLASSIFICATION = "classification";
    public static final String KMEANS = "kmeans";

    public final int dims;
    public final int k;
    private final double lambda;
    private final double inputNoise;
    private final BiGruEncoder encoder;
    private final Dense classifierHidden;
    private final Dense classifierOut;
    private final EncoderEngine encoderEngine;
    private final DecoderEngine decoderEngine;
    private final List<Param> params = new ArrayList<>();

    /**
     * @param lambda     weight of the k-means term (the loss adds λ/2 times it)
     * @param inputNoise standard deviation of Gaussian noise added to what the encoder reads (0 for none); the
     *                   decoder still reconstructs the clean sequence, as a denoising autoencoder
     * @param engine     where the encoder and (teacher-forced) decoder train
     */
    public DtcrNetwork(int dims, int k, int[] units, int[] dilations, ReconstructionDecoder.Feed feed, EngineKind engine,
                       double lambda, double inputNoise, Random random) {
        this.dims = dims;
        this.k = k;
        this.lambda = lambda;
        this.inputNoise = inputNoise;
        encoder = new BiGruEncoder(dims, units, dilations, true, Gru.Init.UNIFORM, random);
        int m = encoder.outputSize();
        ReconstructionDecoder decoder = new ReconstructionDecoder(dims, m, feed, random);
        classifierHidden = new Dense("cls.hidden", m, CLASSIFIER_UNITS, random);
        classifierOut = new Dense("cls.out", CLASSIFIER_UNITS, 2, random);
        params.addAll(encoder.params());
        params.addAll(decoder.params());
        params.addAll(classifierHidden.params());
        params.addAll(classifierOut.params());
        encoderEngine = EncoderEngine.create(engine, encoder);
        decoderEngine = DecoderEngine.create(engine, decoder);
    }

    @Override
    public List<Param> params() {
        return params;
    }

    public int representationSize() {
        return encoder.outputSize();
    }

    /**
     * Forward and backward on a batch of real sequences and a fake made from each: zeroes, then
     * accumulates, the params' gradients. F (the k-means term's indicator) is taken from the batch.
     */
    @Override
    public LossTerms lossAndGradients(List<double[][]> real, Random random) {
        return lossAndGradients(real, random, lambda);
    }

    /**
     * The same network and parameters trained without the k-means term (λ = 0): DTCR's pretraining on
     * reconstruction and the fake-sample task, before the clustering term joins.
     */
    public Objective pretraining() {
        return new Objective() {
            @Override
            public List<Param> params() {
                return params;
            }

            @Override
            public LossTerms lossAndGradients(List<double[][]> real, Random random) {
                return DtcrNetwork.this.lossAndGradients(real, random, 0);
            }
        };
    }

    private LossTerms lossAndGradients(List<double[][]> real, Random random, double weight) {
        List<double[][]> encoded = new ArrayList<>(2 * real.size());
        for (double[][] x : real) {
            encoded.add(noisy(x, inputNoise, random));
        }
        for (double[][] x : real) {
            encoded.add(noisy(FakeSamples.of(x, random), inputNoise, random));
        }
        return step(real, encoded, null, true, weight);
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
    LossTerms step(List<double[][]> real, List<double[][]> encoded, double[][] f, boolean backward) {
        return step(real, encoded, f, backward, lambda);
    }

    private LossTerms step(List<double[][]> real, List<double[][]> encoded, double[][] f, boolean backward, double weight) {
        if (encoded.size() != 2 * real.size()) {
            throw new IllegalArgumentException("the encoder reads each real sequence and one fake for each");
        }
        if (backward) {
            for (Param p : params) {
                p.zeroGrad();
            }
        }
        LossTerms[] result = new LossTerms[1];
        encoderEngine.run(encoded, h -> head(real, h, f, backward, weight, result));
        return result[0];
    }

    /** Everything after the encoder, for the real sequences then the fakes: returns dL/dh, or null. */
    private double[][] head(List<double[][]> real, double[][] h, double[][] f, boolean backward, double weight,
                            LossTerms[] result) {
        int n = real.size();
        double[][] pre = classifierHidden.forward(h);
        double[][] hiddenAct = Activations.relu(pre);
        double[][] p = Activations.softmaxRows(classifierOut.forward(hiddenAct));
        int[] isReal = new int[h.length];
        Arrays.fill(isReal, 0, n, 1);
        double[][] dLogits = new double[h.length][2];
        double classification = CrossEntropy.of(p, isReal, dLogits);

        double[][] hReal = Arrays.copyOf(h, n);
        double[][] indicator = f != null ? f : SpectralKMeansLoss.indicator(hReal, k);
        SpectralKMeansLoss.Result km = SpectralKMeansLoss.evaluate(hReal, indicator);

        DecoderEngine.Result decoded = decoderEngine.reconstruct(real, Arrays.copyOf(h, n), backward);
        result[0] = LossTerms.of(RECONSTRUCTION, decoded.loss(), CLASSIFICATION, classification, KMEANS, weight / 2 * km.value());
        if (!backward) {
            return null;
        }

        double[][] dH = classifierHidden.backward(h, Activations.reluBackward(pre, classifierOut.backward(hiddenAct, dLogits)));
        int m = h[0].length;
        double[][] dInitial = decoded.dInitial();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                dH[i][j] += dInitial[i][j] + weight / 2 * km.dH()[i][j];
            }
        }
        return dH;
    }

    /** The trained encoder as serving keeps it (copied): the representation h of a sequence. */
    public BiGruEncoder.Weights serving() {
        return encoder.snapshot();
    }
}
