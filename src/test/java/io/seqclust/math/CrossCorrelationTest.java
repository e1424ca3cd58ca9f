package io.seqclust.math;

import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CrossCorrelationTest {

    /** The FFT result against the definition, summed over channels, for sequences of different lengths. */
    @Test
    void matchesTheDefinitionAtTheBestLag() {
        Random r = new Random(1);
        for (int trial = 0; trial < 20; trial++) {
            double[][] x = Gaussian.matrix(r, 5 + r.nextInt(20), 3);
            double[][] y = Gaussian.matrix(r, 5 + r.nextInt(20), 3);
            int size = CrossCorrelation.size(x.length, y.length);
            CrossCorrelation.Best best = CrossCorrelation.best(CrossCorrelation.spectrum(x, size), CrossCorrelation.spectrum(y, size));
            double normX = 0;
            double normY = 0;
            for (double[] row : x) {
                for (double v : row) {
                    normX += v * v;
                }
            }
            for (double[] row : y) {
                for (double v : row) {
                    normY += v * v;
                }
            }
            double bestValue = Double.NEGATIVE_INFINITY;
            int bestLag = 0;
            for (int s = -(y.length - 1); s < x.length; s++) {
                double c = 0;
                for (int t = 0; t < y.length; t++) {
                    if (t + s >= 0 && t + s < x.length) {
                        for (int d = 0; d < 3; d++) {
                            c += x[t + s][d] * y[t][d];
                        }
                    }
                }
                c /= Math.sqrt(normX * normY);
                if (c > bestValue) {
                    bestValue = c;
                    bestLag = s;
                }
            }
            assertEquals(bestValue, best.value(), 1e-12);
            assertEquals(bestLag, best.lag());
        }
    }

    /** A copy moved later by a few steps correlates perfectly at that lag, and shifting it back restores it. */
    @Test
    void findsAShiftAndUndoesIt() {
        Random r = new Random(2);
        double[][] x = new double[30][1];
        for (int t = 10; t < 20; t++) {
            x[t][0] = r.nextGaussian();
        }
        double[][] y = CrossCorrelation.shift(x, -4, 30);
        int size = CrossCorrelation.size(30, 30);
        CrossCorrelation.Best best = CrossCorrelation.best(CrossCorrelation.spectrum(x, size), CrossCorrelation.spectrum(y, size));
        assertEquals(1, best.value(), 1e-12);
        assertEquals(4, best.lag());
        double[][] back = CrossCorrelation.shift(y, best.lag(), 30);
        for (int t = 0; t < 30; t++) {
            assertArrayEquals(x[t], back[t], 1e-15);
        }
    }
}
