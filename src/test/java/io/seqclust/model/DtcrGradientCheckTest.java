package io.seqclust.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DTCR's parts against finite differences (double precision, relative error < 1e-5), and its pure helpers. */
class DtcrGradientCheckTest {

    @Test
    void spectralKMeansTerm() {
        Random r = new Random(12);
        double[][] h = random(r, 7, 4);
        double[][] f = SpectralKMeansLoss.indicator(h, 3);
        double[][] dH = SpectralKMeansLoss.evaluate(h, f).dH();
        checkMatrix("dH", h, dH, () -> SpectralKMeansLoss.evaluate(h, f).value());
    }

    @Test
    void theTopEigenvectorsMinimiseTheTerm() {
        Random r = new Random(13);
        double[][] h = random(r, 9, 5);
        double[][] f = SpectralKMeansLoss.indicator(h, 2);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double dot = 0;
                for (double[] row : f) {
                    dot += row[a] * row[b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-10, "FᵀF = I");
            }
        }
        double best = SpectralKMeansLoss.evaluate(h, f).value();
        // any other orthonormal pair of columns does no better: try random ones (Gram-Schmidt)
        for (int trial = 0; trial < 20; trial++) {
            double[][] g = random(r, 9, 2);
            orthonormalise(g);
            assertTrue(SpectralKMeansLoss.evaluate(h, g).value() >= best - 1e-9);
        }
        // a sum of squared residuals outside F's span: never negative
        assertTrue(best >= 0);
    }

    @Test
    void fakesShuffleAFifthOfTheSteps() {
        Random r = new Random(14);
        double[][] x = new double[50][1];
        for (int t = 0; t < 50; t++) {
            x[t][0] = t;
        }
        double[][] fake = FakeSamples.of(x, r);
        int moved = 0;
        for (int t = 0; t < 50; t++) {
            if (fake[t][0] != t) {
                moved++;
            }
        }
        assertTrue(moved >= 2 && moved <= 10, "moved " + moved);
        double[] sortedValues = java.util.Arrays.stream(fake).mapToDouble(v -> v[0]).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).asDoubleStream().toArray(), sortedValues, 0, "a permutation");
        assertNotEquals(0, moved);
    }

    @Test
    void theWholeNetworkAtOnce() {
        Random r = new Random(15);
        DtcrNetwork net = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, r);
        List<double[][]> real = new ArrayList<>();
        List<double[][]> fake = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            real.add(random(r, 1 + 2 * i, 2));
            fake.add(FakeSamples.of(real.get(i), r));
        }
        double lambda = 0.5;
        net.step(real, fake, lambda, null, false);
        // F is a constant of the step, as σ² is for RDDC: hold it at the unperturbed batch's value
        double[][] h = new double[real.size()][];
        for (int i = 0; i < real.size(); i++) {
            h[i] = net.represent(real.get(i));
        }
        double[][] f = SpectralKMeansLoss.indicator(h, 2);
        net.step(real, fake, lambda, f, true);
        // the difference quotient's round-off (~5e-10 here) swamps gradients below 1e-4: those are not compared
        java.util.function.DoubleSupplier loss = () -> net.step(real, fake, lambda, f, false).total();
        for (Param p : net.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss, 1e-4);
        }
    }

    private static void orthonormalise(double[][] g) {
        int cols = g[0].length;
        for (int c = 0; c < cols; c++) {
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (double[] row : g) {
                    dot += row[c] * row[prev];
                }
                for (double[] row : g) {
                    row[c] -= dot * row[prev];
                }
            }
            double norm = 0;
            for (double[] row : g) {
                norm += row[c] * row[c];
            }
            for (double[] row : g) {
                row[c] /= Math.sqrt(norm);
            }
        }
    }
}
