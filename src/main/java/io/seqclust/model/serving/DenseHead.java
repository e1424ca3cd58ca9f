package io.seqclust.model.serving;

import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.BatchNorm;
import io.seqclust.model.layer.Dense;
import io.seqclust.model.layer.Kernels;

/**
 * rddc's head as serving runs it — BatchNorm with its population statistics, a dense ReLU layer, the output layer,
 * softmax — with the BatchNorm folded into the dense layer (both are affine) and each layer's weights kept
 * transposed, so that a layer is a sweep of axpys that the JIT vectorises ({@link Kernels#axpyAffine}) rather than
 * dot products, whose adds wait on one another (micro-benchmark, an encoding of 64 values: 3.9–4.7 → 2.3–3.1 µs
 * per sequence and network, beside about 100 µs for the encoder). The same probabilities as the layers one after the other, up to
 * rounding ({@code DenseHeadTest}). Immutable, safe from many threads.
 */
public final class DenseHead {

    private final double[] hiddenT;
    private final double[] hiddenBias;
    private final double[] outputT;
    private final double[] outputBias;
    private final int hiddenUnits;
    private final int k;

    public DenseHead(BatchNorm.Inference norm, Dense.Weights hidden, Dense.Weights output) {
        int in = hidden.in();
        hiddenUnits = hidden.out();
        k = output.out();
        // W (s ⊙ (x − μ) + β) + b = (W diag s) x + (b + W (β − s ⊙ μ))
        double[] s = norm.scales();
        hiddenT = new double[in * hiddenUnits];
        hiddenBias = hidden.b().clone();
        for (int i = 0; i < hiddenUnits; i++) {
            for (int j = 0; j < in; j++) {
                double w = hidden.w()[i * in + j];
                hiddenT[j * hiddenUnits + i] = w * s[j];
                hiddenBias[i] += w * (norm.beta()[j] - s[j] * norm.mean()[j]);
            }
        }
        outputT = Kernels.transpose(output.w(), k, hiddenUnits);
        outputBias = output.b().clone();
    }

    /** The soft assignment of one encoding. */
    public double[] probabilities(double[] encoding) {
        double[] h = new double[hiddenUnits];
        Kernels.axpyAffine(hiddenT, hiddenBias, encoding, h, hiddenUnits);
        for (int j = 0; j < h.length; j++) {
            h[j] = Math.max(0, h[j]);
        }
        double[] logits = new double[k];
        Kernels.axpyAffine(outputT, outputBias, h, logits, k);
        return Activations.softmax(logits);
    }
}
