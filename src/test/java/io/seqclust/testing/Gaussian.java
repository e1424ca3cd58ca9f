package io.seqclust.testing;

import java.util.Random;

/** Test data drawn from the standard normal, shared so that the tests do not each keep a copy. */
public final class Gaussian {

    private Gaussian() {
    }

    /** rows × columns values of N(0, 1), drawn row by row from the given generator. */
    public static double[][] matrix(Random random, int rows, int columns) {
        double[][] x = new double[rows][columns];
        for (double[] row : x) {
            for (int c = 0; c < columns; c++) {
                row[c] = random.nextGaussian();
            }
        }
        return x;
    }
}
