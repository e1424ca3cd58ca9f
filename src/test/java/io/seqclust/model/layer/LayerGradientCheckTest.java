package io.seqclust.model.layer;

import io.seqclust.model.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.dot;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every layer's backward pass against finite differences (double precision, relative error < 1e-5).
 * Each loss is a fixed random linear function of the layer's outputs, so every output's gradient is used.
 */
class LayerGradientCheckTest {

    private static final int[] RAGGED = {1, 3, 6};

    /** Ordinary GRUs both ways, DTCR's dilated ones both ways, and its decoder (from a given initial state). */
    @ParameterizedTest(name = "reverse = {0}, dilation = {1}, initial state = {2}")
    @CsvSource({"false, 1, false", "true, 1, false", "false, 4, false", "true, 4, false", "false, 1, true"})
    void gruOverRaggedLengths(boolean reverse, int dilation, boolean withInitial) {
        Random r = new Random(reverse ? 2 : 1);
        Gru gru = new Gru(3, 4, reverse, dilation, Gru.Init.HE, r);
        for (Param p : gru.params()) {
            for (int i = 0; i < p.value.length; i++) {
                p.value[i] = 0.5 * r.nextGaussian();
            }
        }
        int[] lengths = dilation > 1 ? new int[] {1, 3, 6, 11} : RAGGED;
        List<double[][]> xs = new ArrayList<>();
        List<double[][]> cOut = new ArrayList<>();
        List<double[]> cLast = new ArrayList<>();
        double[][] initial = withInitial ? random(r, lengths.length, 4) : new double[lengths.length][];
        for (int len : lengths) {
            xs.add(random(r, len, 3));
            cOut.add(random(r, len, 4));
            cLast.add(random(r, 1, 4)[0]);
        }
        DoubleSupplier loss = () -> {
            double s = 0;
            for (int q = 0; q < xs.size(); q++) {
                Gru.Trace tr = gru.weights().forward(xs.get(q), initial[q]);
                for (int t = 0; t < xs.get(q).length; t++) {
                    double[] o = tr.output(t, reverse);
                    for (int j = 0; j < 4; j++) {
                        s += cOut.get(q)[t][j] * o[j];
                    }
                }
                for (int j = 0; j < 4; j++) {
                    s += cLast.get(q)[j] * tr.last()[j];
                }
            }
            return s;
        };
        gru.params().forEach(Param::zeroGrad);
        List<double[][]> dxs = new ArrayList<>();
        double[][] dInitial = new double[lengths.length][4];
        for (int q = 0; q < xs.size(); q++) {
            dxs.add(gru.backward(gru.weights().forward(xs.get(q), initial[q]), cOut.get(q), cLast.get(q), true, dInitial[q]));
        }
        for (Param p : gru.params()) {
            GradientCheck.check(p.name, p.value, p.grad, loss);
        }
        for (int q = 0; q < xs.size(); q++) {
            checkMatrix("dx(len " + lengths[q] + ")", xs.get(q), dxs.get(q), loss);
        }
        if (withInitial) {
            checkMatrix("d(initial state)", initial, dInitial, loss);
        }
    }

    /** RDDC's encoder (two equal layers, the last one's states) and DTCR's (dilated, every layer's states). */
    @ParameterizedTest(name = "dtcr shape = {0}")
    @ValueSource(booleans = {false, true})
    void stackedBidirectionalEncoder(boolean dtcr) {
        Random r = new Random(3);
        BiGruEncoder enc = dtcr
                ? new BiGruEncoder(2, new int[] {3, 2, 2}, new int[] {1, 2, 4}, true, Gru.Init.UNIFORM, r)
                : new BiGruEncoder(2, 3, 2, Gru.Init.HE, r);
        assertEquals(dtcr ? 2 * (3 + 2 + 2) : 6, enc.outputSize());
        for (Param p : enc.params()) {
            for (int i = 0; i < p.value.length; i++) {
                p.value[i] = 0.5 * r.nextGaussian();
            }
        }
        List<double[][]> xs = List.of(random(r, 1, 2), random(r, 2, 2), random(r, 5, 2), random(r, 9, 2));
        int size = enc.outputSize();
        double[][] c = random(r, xs.size(), size);
        DoubleSupplier loss = () -> {
            double s = 0;
            for (int q = 0; q < xs.size(); q++) {
                double[] e = enc.weights().encode(xs.get(q));
                for (int j = 0; j < size; j++) {
                    s += c[q][j] * e[j];
                }
            }
            return s;
        };
        enc.params().forEach(Param::zeroGrad);
        for (int q = 0; q < xs.size(); q++) {
            enc.backward(enc.weights().forward(xs.get(q), new double[size]), c[q]);
        }
        for (Param p : enc.params()) {
            // the loss is O(10) here: the difference quotient's round-off (~5e-10) swamps entries below 1e-4
            GradientCheck.check(p.name, p.value, p.grad, loss, 1e-4);
        }
    }

    @Test
    void encoderStatesNeverSeeBeyondTheTrueLength() {
        Random r = new Random(4);
        BiGruEncoder enc = new BiGruEncoder(2, 3, 2, Gru.Init.HE, r);
        double[][] x = random(r, 4, 2);
        double[][] padded = new double[7][];
        System.arraycopy(x, 0, padded, 0, 4);
        for (int t = 4; t < 7; t++) {
            padded[t] = new double[] {9, 9};
        }
        assertEquals(Arrays.toString(enc.weights().encode(x)), Arrays.toString(enc.weights().encode(Arrays.copyOf(padded, 4))));
    }

    /** What serving keeps (a copy of the weights) encodes as the trainable encoder does, and no longer moves with it. */
    @Test
    void aSnapshotEncodesAsTheEncoderAndStaysPut() {
        Random r = new Random(9);
        BiGruEncoder enc = new BiGruEncoder(2, new int[] {3, 2}, new int[] {1, 2}, true, Gru.Init.UNIFORM, r);
        double[][] x = random(r, 6, 2);
        BiGruEncoder.Weights snapshot = enc.snapshot();
        double[] before = enc.weights().encode(x);
        assertArrayEquals(before, snapshot.encode(x), 0.0);
        enc.params().forEach(p -> p.value[0] += 1);
        assertArrayEquals(before, snapshot.encode(x), 0.0);
    }

    @Test
    void batchNorm() {
        Random r = new Random(5);
        BatchNorm bn = new BatchNorm("bn", 4);
        for (int j = 0; j < 4; j++) {
            bn.gamma.value[j] = 1 + 0.3 * r.nextGaussian();
            bn.beta.value[j] = 0.3 * r.nextGaussian();
        }
        double[][] x = random(r, 6, 4);
        double[][] c = random(r, 6, 4);
        DoubleSupplier loss = () -> {
            double[][] y = new double[6][4];
            bn.forwardTrain(x, y, false);
            return dot(c, y);
        };
        bn.params().forEach(Param::zeroGrad);
        double[][] y = new double[6][4];
        double[][] dx = bn.backward(bn.forwardTrain(x, y, false), c);
        GradientCheck.check("gamma", bn.gamma.value, bn.gamma.grad, loss);
        GradientCheck.check("beta", bn.beta.value, bn.beta.grad, loss);
        checkMatrix("dx", x, dx, loss);
    }

    @Test
    void dense() {
        Random r = new Random(6);
        Dense d = new Dense("d", 5, 3, r);
        double[][] x = random(r, 4, 5);
        double[][] c = random(r, 4, 3);
        DoubleSupplier loss = () -> dot(c, d.forward(x));
        d.params().forEach(Param::zeroGrad);
        double[][] dx = d.backward(x, c);
        GradientCheck.check("w", d.w.value, d.w.grad, loss);
        GradientCheck.check("b", d.b.value, d.b.grad, loss);
        checkMatrix("dx", x, dx, loss);
    }

    @Test
    void softmax() {
        Random r = new Random(7);
        double[][] z = random(r, 4, 5);
        double[][] c = random(r, 4, 5);
        DoubleSupplier loss = () -> dot(c, Activations.softmaxRows(z));
        checkMatrix("dz", z, Activations.softmaxBackward(Activations.softmaxRows(z), c), loss);
    }
}
