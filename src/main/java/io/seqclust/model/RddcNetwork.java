package io.seqclust.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The network of Recurrent Deep Divergence-based Clustering (Trosten et al., 2019): a stacked
 * bidirectional GRU over each sequence's true length, BatchNorm, a fully connected ReLU layer giving
 * the hidden representation h, and a fully connected softmax giving the soft assignments A, trained
 * with the DDC loss. Forward and backward are explicit; see the gradient-check tests.
 */
public final class RddcNetwork {

    public final int dims;
    public final int k;
    public final int hiddenUnits;
    public final int layers;
    public final int denseUnits;
    private final BiGruEncoder encoder;
    private final BatchNorm norm;
    private final Dense dense;
    private final Dense output;
    private final List<Param> params = new ArrayList<>();
    private final EncoderEngine engine;
    private volatile BiGruEncoder.Prepared serving;

    /** The loss of one training step, by term, and the kernel bandwidth σ² it used. */
    public record StepLoss(double l1, double l2, double l3, double sigma2) {
        public double total() {
            return l1 + l2 + l3;
        }
    }

    public RddcNetwork(int dims, int k, int hiddenUnits, int layers, int denseUnits, Random random) {
        this(dims, k, hiddenUnits, layers, denseUnits, random, EncoderEngine.Kind.java, Gru.Init.he);
    }

    /**
     * @param engine  where the encoder's training passes run
     * @param gruInit how the GRUs' weights start
     */
    public RddcNetwork(int dims, int k, int hiddenUnits, int layers, int denseUnits, Random random,
                       EncoderEngine.Kind engine, Gru.Init gruInit) {
        this.dims = dims;
        this.k = k;
        this.hiddenUnits = hiddenUnits;
        this.layers = layers;
        this.denseUnits = denseUnits;
        encoder = new BiGruEncoder(dims, hiddenUnits, layers, gruInit, random);
        norm = new BatchNorm("bn", encoder.outputSize());
        dense = new Dense("fc", encoder.outputSize(), denseUnits, random);
        output = new Dense("out", denseUnits, k, random);
        params.addAll(encoder.params());
        params.addAll(norm.params());
        params.addAll(dense.params());
        params.addAll(output.params());
        this.engine = EncoderEngine.create(engine, encoder);
    }

    public List<Param> params() {
        return params;
    }

    /**
     * Forward and backward on one batch: accumulates the gradients of the DDC loss into the params
     * (after zeroing them) and updates BatchNorm's population statistics.
     */
    public StepLoss lossAndGradients(List<double[][]> batch) {
        return step(batch, Double.NaN, true);
    }

    /**
     * @param sigma2   the kernel bandwidth, NaN to take it from the batch (training); fixed by gradient checks
     * @param backward false for the loss alone: no gradient, no change to BatchNorm's statistics
     */
    StepLoss step(List<double[][]> batch, double sigma2, boolean backward) {
        if (backward) {
            for (Param p : params) {
                p.zeroGrad();
            }
        }
        StepLoss[] result = new StepLoss[1];
        engine.run(batch, enc -> head(enc, sigma2, backward, result));
        return result[0];
    }

    /** The layers after the encoder, forward and (when asked) backward: returns dL/d(encodings) or null. */
    private double[][] head(double[][] enc, double sigma2, boolean backward, StepLoss[] result) {
        int n = enc.length;
        double[][] normed = new double[n][encoder.outputSize()];
        BatchNorm.Trace bnTrace = norm.forwardTrain(enc, normed, backward);
        double[][] pre = dense.forward(normed);
        double[][] hidden = relu(pre);
        double[][] logits = output.forward(hidden);
        double[][] a = softmaxRows(logits);

        double s2 = Double.isNaN(sigma2) ? DdcLoss.sigma2(hidden) : sigma2;
        DdcLoss.Result loss = DdcLoss.evaluate(a, hidden, s2);
        result[0] = new StepLoss(loss.l1(), loss.l2(), loss.l3(), s2);
        if (!backward) {
            return null;
        }
        double[][] dLogits = DdcLoss.softmaxBackward(a, loss.dA());
        double[][] dHidden = output.backward(hidden, dLogits);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < denseUnits; j++) {
                dHidden[i][j] = pre[i][j] > 0 ? dHidden[i][j] + loss.dH()[i][j] : 0;
            }
        }
        double[][] dNormed = dense.backward(normed, dHidden);
        return norm.backward(bnTrace, dNormed);
    }

    /** The mean loss over the given batches, no update (training-mode BatchNorm, as in the steps). */
    public double meanLoss(List<List<double[][]>> batches) {
        double sum = 0;
        for (List<double[][]> b : batches) {
            sum += step(b, Double.NaN, false).total();
        }
        return sum / batches.size();
    }

    /**
     * Inference: soft assignment of one sequence, BatchNorm with population statistics. Safe from many
     * threads once training has ended (the weights it reads are a snapshot taken on first use).
     */
    public double[] assign(double[][] x) {
        BiGruEncoder.Prepared w = serving;
        if (w == null) {
            w = encoder.prepare();
            serving = w;
        }
        double[] enc = new double[encoder.outputSize()];
        encoder.forward(x, enc, w);
        double[][] hidden = relu(dense.forward(new double[][] {norm.forwardInfer(enc)}));
        return softmaxRows(output.forward(hidden))[0];
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(dims);
        out.writeInt(k);
        out.writeInt(hiddenUnits);
        out.writeInt(layers);
        out.writeInt(denseUnits);
        for (Param p : params) {
            writeArray(out, p.value);
        }
        writeArray(out, norm.runningMean);
        writeArray(out, norm.runningVar);
    }

    public static RddcNetwork read(DataInputStream in) throws IOException {
        RddcNetwork net = new RddcNetwork(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), new Random(0));
        for (Param p : net.params) {
            readArray(in, p.value);
        }
        readArray(in, net.norm.runningMean);
        readArray(in, net.norm.runningVar);
        return net;
    }

    static void writeArray(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    static void readArray(DataInputStream in, double[] v) throws IOException {
        if (in.readInt() != v.length) {
            throw new IOException("parameter size differs from the architecture in the header");
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
    }

    static double[][] relu(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = Math.max(0, x[i][j]);
            }
        }
        return y;
    }

    static double[][] softmaxRows(double[][] z) {
        double[][] a = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            a[i] = Softmax.of(z[i]);
        }
        return a;
    }
}
