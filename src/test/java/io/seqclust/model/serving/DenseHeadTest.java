package io.seqclust.model.serving;

import io.seqclust.math.SoftAssignment;
import io.seqclust.model.layer.BatchNorm;
import io.seqclust.model.layer.Dense;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DenseHeadTest {

    /** The folded head against the layers one after the other, written out: BatchNorm, dense, ReLU, dense, softmax. */
    @Test
    void givesTheLayersProbabilities() {
        Random random = new Random(3);
        int in = 64;
        int units = 100;
        int k = 6;
        BatchNorm.Inference norm = new BatchNorm.Inference(values(in, 1, 0.5, random), values(in, 0, 0.3, random),
                values(in, 0, 2, random), values(in, 0.01, 3, random));
        for (int j = 0; j < in; j++) {
            norm.var()[j] = Math.abs(norm.var()[j]);
        }
        Dense.Weights hidden = new Dense.Weights(in, units, values(in * units, 0, 0.2, random), values(units, 0, 0.1, random));
        Dense.Weights output = new Dense.Weights(units, k, values(units * k, 0, 0.3, random), values(k, 0, 0.1, random));
        DenseHead head = new DenseHead(norm, hidden, output);
        for (int trial = 0; trial < 50; trial++) {
            double[] x = values(in, 0, 2, random);
            double[] expected = layers(norm, hidden, output, x);
            double[] actual = head.probabilities(x);
            for (int c = 0; c < k; c++) {
                assertEquals(expected[c], actual[c], 1e-12, "cluster " + c + " of trial " + trial);
            }
        }
    }

    private static double[] layers(BatchNorm.Inference norm, Dense.Weights hidden, Dense.Weights output, double[] x) {
        double[] normed = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            normed[j] = norm.gamma()[j] * (x[j] - norm.mean()[j]) / Math.sqrt(norm.var()[j] + 1e-5) + norm.beta()[j];
        }
        double[] h = affine(hidden, normed);
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.max(0, h[i]);
        }
        return SoftAssignment.softmax(affine(output, h));
    }

    private static double[] affine(Dense.Weights layer, double[] v) {
        double[] y = new double[layer.out()];
        for (int i = 0; i < y.length; i++) {
            y[i] = layer.b()[i];
            for (int j = 0; j < layer.in(); j++) {
                y[i] += layer.w()[i * layer.in() + j] * v[j];
            }
        }
        return y;
    }

    private static double[] values(int n, double mean, double sd, Random random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * random.nextGaussian();
        }
        return v;
    }
}
