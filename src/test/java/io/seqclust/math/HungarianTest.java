package io.seqclust.math;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HungarianTest {

    private static final Random RANDOM = new Random(11);

    @RepeatedTest(20)
    void matchesBruteForceOnRandomMatrices() {
        int n = 2 + RANDOM.nextInt(5);
        double[][] cost = new double[n][n];
        for (double[] row : cost) {
            for (int j = 0; j < n; j++) {
                row[j] = RANDOM.nextInt(20);
            }
        }
        assertEquals(bruteForceMin(cost, new boolean[n], 0), total(cost, Hungarian.minimise(cost)), 1e-9);
    }

    @Test
    void maximiseFindsTheDiagonalOfAPermutedIdentity() {
        double[][] w = {{0, 5, 0}, {0, 0, 7}, {9, 0, 0}};
        assertArrayEquals(new int[] {1, 2, 0}, Hungarian.maximise(w));
    }

    private static double total(double[][] cost, int[] assignment) {
        double s = 0;
        for (int i = 0; i < assignment.length; i++) {
            s += cost[i][assignment[i]];
        }
        return s;
    }

    private static double bruteForceMin(double[][] cost, boolean[] used, int row) {
        if (row == cost.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < cost.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, cost[row][j] + bruteForceMin(cost, used, row + 1));
                used[j] = false;
            }
        }
        return best;
    }
}
