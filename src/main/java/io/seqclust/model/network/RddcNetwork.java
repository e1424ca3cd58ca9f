package io.seqclust.model.network;

import io.seqclust.model.engine.DecoderEngine;
import io.seqclust.model.engine.EncoderEngine;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.BatchNorm;
import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Dense;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.Param;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.loss.DdcLoss;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.serving.DenseHead;
import io.seqclust.model.serving.FloatEncoder;
import io.seqclust.model.train.Batches;
import io.seqclust.model.train.Objective;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The network of Recurrent Deep Divergence-based Clustering (Trosten et al., 2019): a stacked
 * bidirectional GRU over each sequence's true length, BatchNorm, a fully connected ReLU layer giving
 * the hidden representation h, and a fully connected softmax giving the soft assignments A, trained
 * with the DDC loss; optionally, the encoder pretrained first on reconstruction ({@link #pretraining}). Forward
 * and backward are explicit; see the gradient-check tests.
 */
public final class RddcNetwork implements Objective {

    public static final String RECONSTRUCTION = "reconstruction";

    public final int dims;
    public final int k;
    private final int denseUnits;
    private final BiGruEncoder encoder;
    private final BatchNorm norm;
    private final Dense dense;
    private final Dense output;
    private final List<Param> params = new ArrayList<>();
    private final EncoderEngine engine;
    private final EngineKind engineKind;

    /** One step's loss by term, and the kernel bandwidth σ² it used. */
    record Step(LossTerms loss, double sigma2) {
    }

    /** What serving keeps of a trained network: the soft assignment of one sequence, nothing to train. */
    public record Serving(BiGruEncoder.Weights encoder, BatchNorm.Inference norm, Dense.Weights hidden, Dense.Weights output,
                          FloatEncoder fast, DenseHead head) {

        /** With the encoder in float32 ({@link FloatEncoder}) and the head folded ({@link DenseHead}) for serving. */
        public Serving(BiGruEncoder.Weights encoder, BatchNorm.Inference norm, Dense.Weights hidden, Dense.Weights output) {
            this(encoder, norm, hidden, output, new FloatEncoder(encoder), new DenseHead(norm, hidden, output));
        }

        public Serving {
            if (norm.gamma().length != encoder.outputSize() || hidden.in() != encoder.outputSize() || output.in() != hidden.out()) {
                throw new IllegalArgumentException("rddc layers do not fit together");
            }
        }

        public int dims() {
            return encoder.in();
        }

        public int k() {
            return output.out();
        }

        /** Soft assignment of one sequence, BatchNorm with its population statistics. Safe from many threads. */
        public double[] assign(double[][] x) {
            return head.probabilities(fast.encode(x));
        }

        /** {@link #assign} of each sequence of a batch, the encoder's pass batched ({@link FloatEncoder#encodeAll}). */
        public double[][] assignAll(List<double[][]> xs) {
            double[][] encodings = fast.encodeAll(xs);
            double[][] p = new double[encodings.length][];
            for (int i = 0; i < p.length; i++) {
                p[i] = head.probabilities(encodings[i]);
            }
            return p;
        }
    }

    /**
     * @param engine  where the encoder's training passes run
     * @param gruInit how the GRUs' weights start
     */
    public RddcNetwork(int dims, int k, int hiddenUnits, int layers, int denseUnits, Random random,
                       EngineKind engine, Gru.Init gruInit) {
        this.dims = dims;
        this.k = k;
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
        this.engineKind = engine;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    /**
     * Forward and backward on one batch: accumulates the gradients of the DDC loss into the params
     * (after zeroing them) and updates BatchNorm's population statistics.
     */
    @Override
    public LossTerms lossAndGradients(List<double[][]> batch, Random random) {
        return step(batch, Double.NaN, true).loss();
    }

    /**
     * @param sigma2   the kernel bandwidth, NaN to take it from the batch (training); fixed by gradient checks
     * @param backward false for the loss alone: no gradient, no change to BatchNorm's statistics
     */
    Step step(List<double[][]> batch, double sigma2, boolean backward) {
        if (backward) {
            for (Param p : params) {
                p.zeroGrad();
            }
        }
        Step[] result = new Step[1];
        engine.run(batch, enc -> head(enc, sigma2, backward, result));
        return result[0];
    }

    /** The layers after the encoder, forward and (when asked) backward: returns dL/d(encodings) or null. */
    private double[][] head(double[][] enc, double sigma2, boolean backward, Step[] result) {
        int n = enc.length;
        double[][] normed = new double[n][encoder.outputSize()];
        BatchNorm.Trace bnTrace = norm.forwardTrain(enc, normed, backward);
        double[][] pre = dense.forward(normed);
        double[][] hidden = Activations.relu(pre);
        double[][] a = Activations.softmaxRows(output.forward(hidden));

        double s2 = Double.isNaN(sigma2) ? DdcLoss.sigma2(hidden) : sigma2;
        DdcLoss.Result loss = DdcLoss.evaluate(a, hidden, s2);
        result[0] = new Step(loss.terms(), s2);
        if (!backward) {
            return null;
        }
        double[][] dLogits = Activations.softmaxBackward(a, loss.dA());
        double[][] dHidden = output.backward(hidden, dLogits);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < denseUnits; j++) {
                dHidden[i][j] = pre[i][j] > 0 ? dHidden[i][j] + loss.dH()[i][j] : 0;
            }
        }
        double[][] dNormed = dense.backward(normed, dHidden);
        return norm.backward(bnTrace, dNormed);
    }

    /**
     * The encoder trained as an autoencoder's, before the DDC loss: a GRU decoder started from each sequence's
     * encoding reconstructs the sequence (teacher-forced, DTCR's {@link ReconstructionDecoder}), loss the mean
     * squared error. The decoder is made here, from {@code random}, and dropped after pretraining: a network never
     * pretrained draws the same weights as before pretraining existed.
     */
    public Pretraining pretraining(Random random) {
        return new Pretraining(new ReconstructionDecoder(dims, encoder.outputSize(), ReconstructionDecoder.Feed.TEACHER_FORCING,
                random));
    }

    /** {@link #pretraining}: the encoder's and the decoder's parameters, the reconstruction loss. */
    public final class Pretraining implements Objective {

        private final DecoderEngine decoder;
        private final List<Param> trained = new ArrayList<>(encoder.params());

        private Pretraining(ReconstructionDecoder decoder) {
            this.decoder = DecoderEngine.create(engineKind, decoder);
            trained.addAll(decoder.params());
        }

        @Override
        public List<Param> params() {
            return trained;
        }

        @Override
        public LossTerms lossAndGradients(List<double[][]> batch, Random random) {
            return reconstruct(batch, true);
        }

        /** The loss alone: no gradient. */
        public LossTerms loss(List<double[][]> batch) {
            return reconstruct(batch, false);
        }

        private LossTerms reconstruct(List<double[][]> batch, boolean backward) {
            if (backward) {
                trained.forEach(Param::zeroGrad);
            }
            double[] loss = new double[1];
            engine.run(batch, enc -> {
                DecoderEngine.Result r = decoder.reconstruct(batch, enc, backward);
                loss[0] = r.loss();
                return r.dInitial();
            });
            return LossTerms.of(RECONSTRUCTION, loss[0]);
        }
    }

    /**
     * The floating-point operations of one training step's matrix products on the batch (the GRUs' and the
     * dense layers'), the backward pass counted as twice the forward: what a GFLOP/s figure divides.
     */
    public double stepFlops(List<double[][]> batch) {
        long steps = batch.stream().mapToLong(x -> x.length).sum();
        double dense = 2.0 * batch.size() * ((double) encoder.outputSize() * denseUnits + (double) denseUnits * k);
        return 3 * (encoder.forwardFlops(steps) + dense);
    }

    /**
     * The mean loss by term over one pass of shuffled batches, no update (training-mode BatchNorm, as in the
     * steps): what the restarts are compared by.
     */
    public LossTerms meanLoss(List<double[][]> data, int batchSize, Random random) {
        List<List<double[][]>> batches = Batches.shuffled(data, batchSize, k + 1, random);
        LossTerms sum = null;
        for (List<double[][]> b : batches) {
            LossTerms loss = step(b, Double.NaN, false).loss();
            sum = sum == null ? loss : sum.plus(loss);
        }
        return sum.scaled(1.0 / batches.size());
    }

    /** The trained network as serving keeps it (copied: training may go on without changing it). */
    public Serving serving() {
        return new Serving(encoder.snapshot(), norm.snapshot(), dense.snapshot(), output.snapshot());
    }
}
