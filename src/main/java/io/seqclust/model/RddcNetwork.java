package io.seqclust.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    /** One encoder per worker thread, sharing the weights, each with its own gradient accumulators. */
    private final BiGruEncoder[] replicas;
    private volatile BiGruEncoder.Prepared serving;

    /** Workers for the per-sequence encoder passes of a batch; daemon threads shared by all networks. */
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "seqclust-rddc-worker");
                t.setDaemon(true);
                return t;
            });
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** The loss of one training step, by term, and the kernel bandwidth σ² it used. */
    public record StepLoss(double l1, double l2, double l3, double sigma2) {
        public double total() {
            return l1 + l2 + l3;
        }
    }

    public RddcNetwork(int dims, int k, int hiddenUnits, int layers, int denseUnits, Random random) {
        this.dims = dims;
        this.k = k;
        this.hiddenUnits = hiddenUnits;
        this.layers = layers;
        this.denseUnits = denseUnits;
        encoder = new BiGruEncoder(dims, hiddenUnits, layers, random);
        norm = new BatchNorm("bn", encoder.outputSize());
        dense = new Dense("fc", encoder.outputSize(), denseUnits, random);
        output = new Dense("out", denseUnits, k, random);
        params.addAll(encoder.params());
        params.addAll(norm.params());
        params.addAll(dense.params());
        params.addAll(output.params());
        replicas = new BiGruEncoder[THREADS];
        replicas[0] = encoder;
        for (int i = 1; i < THREADS; i++) {
            replicas[i] = encoder.replica();
        }
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
        int n = batch.size();
        double[][] enc = new double[n][encoder.outputSize()];
        BiGruEncoder.Trace[] traces = new BiGruEncoder.Trace[n];
        BiGruEncoder.Prepared weights = encoder.prepare();
        parallel(n, (worker, i) -> traces[i] = replicas[worker].forward(batch.get(i), enc[i], weights));
        double[][] normed = new double[n][encoder.outputSize()];
        BatchNorm.Trace bnTrace = norm.forwardTrain(enc, normed, backward);
        double[][] pre = dense.forward(normed);
        double[][] hidden = relu(pre);
        double[][] logits = output.forward(hidden);
        double[][] a = softmaxRows(logits);

        double s2 = Double.isNaN(sigma2) ? DdcLoss.sigma2(hidden) : sigma2;
        DdcLoss.Result loss = DdcLoss.evaluate(a, hidden, s2);
        if (!backward) {
            return new StepLoss(loss.l1(), loss.l2(), loss.l3(), s2);
        }
        double[][] dLogits = DdcLoss.softmaxBackward(a, loss.dA());
        double[][] dHidden = output.backward(hidden, dLogits);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < denseUnits; j++) {
                dHidden[i][j] = pre[i][j] > 0 ? dHidden[i][j] + loss.dH()[i][j] : 0;
            }
        }
        double[][] dNormed = dense.backward(normed, dHidden);
        double[][] dEnc = norm.backward(bnTrace, dNormed);
        for (int w = 1; w < replicas.length; w++) {
            replicas[w].params().forEach(Param::zeroGrad);
        }
        parallel(n, (worker, i) -> replicas[worker].backward(traces[i], dEnc[i]));
        List<Param> master = encoder.params();
        for (int w = 1; w < replicas.length; w++) {
            List<Param> own = replicas[w].params();
            for (int p = 0; p < master.size(); p++) {
                double[] g = master.get(p).grad;
                double[] o = own.get(p).grad;
                for (int j = 0; j < g.length; j++) {
                    g[j] += o[j];
                }
            }
        }
        return new StepLoss(loss.l1(), loss.l2(), loss.l3(), s2);
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

    private static void writeArray(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private static void readArray(DataInputStream in, double[] v) throws IOException {
        if (in.readInt() != v.length) {
            throw new IOException("parameter size differs from the architecture in the header");
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
    }

    /** Runs body(worker, i) for i in [0, n), sequence i on worker i mod THREADS; each worker has its own replica. */
    private static void parallel(int n, WorkerTask body) {
        if (THREADS == 1) {
            for (int i = 0; i < n; i++) {
                body.run(0, i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(THREADS);
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            futures.add(WORKERS.submit(() -> {
                for (int i = worker; i < n; i += THREADS) {
                    body.run(worker, i);
                }
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a training step", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a training worker failed: " + e.getCause(), e.getCause());
        }
    }

    @FunctionalInterface
    private interface WorkerTask {
        void run(int worker, int index);
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
