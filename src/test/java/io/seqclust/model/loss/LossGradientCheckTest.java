package io.seqclust.model.loss;

import io.seqclust.model.layer.Activations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each loss term against finite differences (double precision, relative error < 1e-5), and the k-means term's F. */
class LossGradientCheckTest {

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
        DdcLoss.Weights weights = new DdcLoss.Weights(term == 1 ? 1 : 0, term == 2 ? 1 : 0, term == 3 ? 1 : 0);
        DoubleSupplier loss = () -> DdcLoss.evaluate(Activations.softmaxRows(z), h, sigma2, weights).terms().total();
        double[][] a = Activations.softmaxRows(z);
        DdcLoss.Result result = DdcLoss.evaluate(a, h, sigma2, weights);
        checkMatrix("dZ", z, Activations.softmaxBackward(a, result.dA()), loss);
        checkMatrix("dH", h, result.dH(), loss);
    }

    @Test
    void theTermsAddUpAndAreNamed() {
        Random r = new Random(20);
        double[][] a = Activations.softmaxRows(random(r, 10, 3));
        double[][] h = random(r, 10, 4);
        LossTerms terms = DdcLoss.evaluate(a, h, DdcLoss.sigma2(h)).terms();
        assertEquals(java.util.List.of(DdcLoss.CLUSTER_SEPARATION, DdcLoss.ORTHOGONALITY, DdcLoss.SIMPLEX),
                java.util.List.copyOf(terms.terms().keySet()));
        assertEquals(terms.terms().values().stream().mapToDouble(Double::doubleValue).sum(), terms.total(), 1e-15);
    }

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
