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
 * decoder started from h that reconstructs the sequence (teacher forcing: step t reads the true value
 * of step t − 1) through a linear readout; a classifier telling real sequences from fakes (a fifth of
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
    private final Gru decoder;
    private final Gru[] decoderReplicas;
    private final Dense readout;
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

    public DtcrNetwork(int dims, int k, int[] units, int[] dilations, Random random) {
        this.dims = dims;
        this.k = k;
        this.units = units.clone();
        this.dilations = dilations.clone();
        encoder = new BiGruEncoder(dims, units, dilations, true, Gru.Init.uniform, random);
        int m = encoder.outputSize();
        decoder = new Gru(dims, m, false, random);
        readout = new Dense("readout", m, dims, random);
        classifierHidden = new Dense("cls.hidden", m, CLASSIFIER_UNITS, random);
        classifierOut = new Dense("cls.out", CLASSIFIER_UNITS, 2, random);
        params.addAll(encoder.params());
        params.addAll(decoder.params());
        params.addAll(readout.params());
        params.addAll(classifierHidden.params());
        params.addAll(classifierOut.params());
        decoderReplicas = new Gru[Workers.THREADS];
        decoderReplicas[0] = decoder;
        for (int i = 1; i < decoderReplicas.length; i++) {
            decoderReplicas[i] = decoder.replica();
        }
        engine = new JavaEncoderEngine(encoder);
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
     */
    public StepLoss lossAndGradients(List<double[][]> real, double lambda, Random random) {
        List<double[][]> fake = new ArrayList<>(real.size());
        for (double[][] x : real) {
            fake.add(FakeSamples.of(x, random));
        }
        return step(real, fake, lambda, null, true);
    }

    /**
     * @param f        the k-means indicator (n × k), or null to take it from the batch (training); fixed by gradient checks
     * @param backward false for the loss alone
     */
    StepLoss step(List<double[][]> real, List<double[][]> fake, double lambda, double[][] f, boolean backward) {
        if (backward) {
            for (Param p : params) {
                p.zeroGrad();
            }
        }
        List<double[][]> all = new ArrayList<>(real);
        all.addAll(fake);
        StepLoss[] result = new StepLoss[1];
        engine.run(all, h -> head(real, h, lambda, f, backward, result));
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

        Gru.Prepared w = decoder.prepare();
        Gru.Trace[] traces = new Gru.Trace[n];
        double[][][] states = new double[n][][];
        double[][][] recon = new double[n][][];
        Workers.parallel(n, (worker, i) -> {
            traces[i] = decoderReplicas[worker].forward(shiftedInput(real.get(i)), w, h[i]);
            states[i] = java.util.Arrays.copyOfRange(traces[i].h, 1, traces[i].h.length);
            recon[i] = readout.forward(states[i]);
        });
        long count = 0;
        for (double[][] x : real) {
            count += (long) x.length * dims;
        }
        double reconstruction = 0;
        double[][][] dRecon = new double[n][][];
        for (int i = 0; i < n; i++) {
            double[][] x = real.get(i);
            dRecon[i] = new double[x.length][dims];
            for (int t = 0; t < x.length; t++) {
                for (int d = 0; d < dims; d++) {
                    double e = recon[i][t][d] - x[t][d];
                    reconstruction += e * e / count;
                    dRecon[i][t][d] = 2 * e / count;
                }
            }
        }
        result[0] = new StepLoss(reconstruction, classification, km.value(), lambda);
        if (!backward) {
            return null;
        }

        double[][] dClsIn = classifierHidden.backward(h, reluBackward(pre, classifierOut.backward(hiddenAct, dLogits)));
        double[][][] dStates = new double[n][][];
        for (int i = 0; i < n; i++) {
            dStates[i] = readout.backward(states[i], dRecon[i]);
        }
        int m = h[0].length;
        double[][] dInitial = new double[n][m];
        Workers.accumulate(n, java.util.Arrays.stream(decoderReplicas).map(Gru::params).toList(),
                (worker, i) -> decoderReplicas[worker].backward(traces[i], dStates[i], null, false, dInitial[i]));
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

    /** The decoder's input under teacher forcing: zeros, then the sequence shifted one step later. */
    static double[][] shiftedInput(double[][] x) {
        double[][] u = new double[x.length][];
        u[0] = new double[x[0].length];
        for (int t = 1; t < x.length; t++) {
            u[t] = x[t - 1];
        }
        return u;
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
        DtcrNetwork net = new DtcrNetwork(dims, k, units, dilations, new Random(0));
        for (Param p : net.params) {
            RddcNetwork.readArray(in, p.value);
        }
        return net;
    }
}
