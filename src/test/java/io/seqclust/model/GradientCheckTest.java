package io.seqclust.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.dot;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every layer's backward pass against finite differences (double precision, relative error < 1e-5).
 * Each loss is a fixed random linear function of the layer's outputs, so every output's gradient is used.
 */
class GradientCheckTest {

    private static final int[] RAGGED = {1, 3, 6};

    /** Ordinary GRUs both ways, DTCR's dilated ones both ways, and its decoder (from a given initial state). */
    @ParameterizedTest(name = "reverse = {0}, dilation = {1}, initial state = {2}")
    @CsvSource({"false, 1, false", "true, 1, false", "false, 4, false", "true, 4, false", "false, 1, true"})
    void gruOverRaggedLengths(boolean reverse, int dilation, boolean withInitial) {
        Random r = new Random(reverse ? 2 : 1);
        Gru gru = new Gru(3, 4, reverse, dilation, Gru.Init.he, r);
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
        java.util.function.DoubleSupplier loss = () -> {
            double s = 0;
            for (int q = 0; q < xs.size(); q++) {
                Gru.Trace tr = gru.forward(xs.get(q), gru.prepare(), initial[q]);
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
            dxs.add(gru.backward(gru.forward(xs.get(q), gru.prepare(), initial[q]), cOut.get(q), cLast.get(q), true, dInitial[q]));
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
                ? new BiGruEncoder(2, new int[] {3, 2, 2}, new int[] {1, 2, 4}, true, Gru.Init.uniform, r)
                : new BiGruEncoder(2, 3, 2, Gru.Init.he, r);
        assertEquals(dtcr ? 2 * (3 + 2 + 2) : 6, enc.outputSize());
        for (Param p : enc.params()) {
            for (int i = 0; i < p.value.length; i++) {
                p.value[i] = 0.5 * r.nextGaussian();
            }
        }
        List<double[][]> xs = List.of(random(r, 1, 2), random(r, 2, 2), random(r, 5, 2), random(r, 9, 2));
        int size = enc.outputSize();
        double[][] c = random(r, xs.size(), size);
        java.util.function.DoubleSupplier loss = () -> {
            double s = 0;
            for (int q = 0; q < xs.size(); q++) {
                double[] e = new double[size];
                enc.forward(xs.get(q), e);
                for (int j = 0; j < size; j++) {
                    s += c[q][j] * e[j];
                }
            }
            return s;
        };
        enc.params().forEach(Param::zeroGrad);
        for (int q = 0; q < xs.size(); q++) {
            enc.backward(enc.forward(xs.get(q), new double[size]), c[q]);
        }
        for (Param p : enc.params()) {
            // the loss is O(10) here: the difference quotient's round-off (~5e-10) swamps entries below 1e-4
            GradientCheck.check(p.name, p.value, p.grad, loss, 1e-4);
        }
    }

    @Test
    void encoderStatesNeverSeeBeyondTheTrueLength() {
        Random r = new Random(4);
        BiGruEncoder enc = new BiGruEncoder(2, 3, 2, Gru.Init.he, r);
        double[][] x = random(r, 4, 2);
        double[][] padded = new double[7][];
        System.arraycopy(x, 0, padded, 0, 4);
        for (int t = 4; t < 7; t++) {
            padded[t] = new double[] {9, 9};
        }
        double[] a = new double[6];
        double[] b = new double[6];
        enc.forward(x, a);
        enc.forward(java.util.Arrays.copyOf(padded, 4), b);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
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
        java.util.function.DoubleSupplier loss = () -> {
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
        java.util.function.DoubleSupplier loss = () -> dot(c, d.forward(x));
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
        java.util.function.DoubleSupplier loss = () -> dot(c, RddcNetwork.softmaxRows(z));
        checkMatrix("dz", z, DdcLoss.softmaxBackward(RddcNetwork.softmaxRows(z), c), loss);
    }

    @ParameterizedTest(name = "term {0}")
    @ValueSource(ints = {1, 2, 3})
    void eachDdcTerm(int term) {
        Random r = new Random(10 + term);
        int n = 12;
        int k = 3;
        double[][] z = random(r, n, k);
        double[][] h = random(r, n, 5);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.abs(row[j]); // like the ReLU output it is in the model
            }
        }
        double sigma2 = DdcLoss.sigma2(h); // held constant, as in training
        double w1 = term == 1 ? 1 : 0;
        double w2 = term == 2 ? 1 : 0;
        double w3 = term == 3 ? 1 : 0;
        java.util.function.DoubleSupplier loss = () -> DdcLoss.evaluate(RddcNetwork.softmaxRows(z), h, sigma2, w1, w2, w3).total();
        double[][] a = RddcNetwork.softmaxRows(z);
        DdcLoss.Result result = DdcLoss.evaluate(a, h, sigma2, w1, w2, w3);
        checkMatrix("dZ", z, DdcLoss.softmaxBackward(a, result.dA()), loss);
        checkMatrix("dH", h, result.dH(), loss);
    }

    @ParameterizedTest(name = "encoder engine {0}")
    @ValueSource(strings = {"java", "nd4j"})
    void theWholeNetworkAtOnce(String engine) {
        Random r = new Random(8);
        RddcNetwork net = new RddcNetwork(2, 3, 3, 2, 5, r, EncoderEngine.Kind.valueOf(engine), Gru.Init.he);
        List<double[][]> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(random(r, 1 + i % 4, 2));
        }
        // σ² is a constant of the step: hold it at the unperturbed batch's value. The loss is O(1) here, so the
        // difference quotient's round-off (~1e-10) swamps gradients below 1e-6: those are not compared.
        double sigma2 = net.lossAndGradients(batch).sigma2();
        java.util.function.DoubleSupplier loss = () -> net.step(batch, sigma2, false).total();
        for (Param p : net.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss, 1e-6);
        }
    }
}
