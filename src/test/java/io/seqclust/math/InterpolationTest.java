package io.seqclust.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InterpolationTest {

    @Test
    void stretchesAndShrinksBetweenTheEnds() {
        double[][] x = {{0, 10}, {1, 20}, {2, 30}, {3, 0}};
        double[][] longer = Interpolation.resample(x, 7);
        double[] first = new double[7];
        double[] second = new double[7];
        for (int t = 0; t < 7; t++) {
            first[t] = longer[t][0];
            second[t] = longer[t][1];
        }
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3}, first, 1e-12);
        assertArrayEquals(new double[] {10, 15, 20, 25, 30, 15, 0}, second, 1e-12);
        assertArrayEquals(new double[][] {{0, 10}, {3, 0}}, Interpolation.resample(x, 2));
        assertArrayEquals(new double[][] {{0, 10}}, Interpolation.resample(x, 1));
        assertArrayEquals(x, Interpolation.resample(x, 4));
    }

    @Test
    void aSingleStepIsRepeated() {
        double[][] out = Interpolation.resample(new double[][] {{4, -1}}, 3);
        assertEquals(3, out.length);
        for (double[] row : out) {
            assertArrayEquals(new double[] {4, -1}, row);
        }
        assertThrows(IllegalArgumentException.class, () -> Interpolation.resample(new double[][] {{1}}, 0));
    }
}
