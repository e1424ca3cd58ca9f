package io.seqclust.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardisationTest {

    /** Written into a row of floats, a row is standardised as {@code apply} does it, rounded, and nothing else is touched. */
    @Test
    void aRowStandardisedIntoFloatsIsTheRowApplyGivesRounded() {
        Random random = new Random(3);
        double[][] rows = new double[20][7];
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 1e3 + 5 * random.nextGaussian();
            }
            row[4] = 2.5;
        }
        Standardisation scaling = Standardisation.fit(rows);
        float[] into = new float[3 + 7 + 2];
        java.util.Arrays.fill(into, -9f);
        scaling.applyInto(rows[6], into, 3);
        double[] z = scaling.apply(rows[6]);
        for (int j = 0; j < 7; j++) {
            assertEquals((float) z[j], into[3 + j], "column " + j);
        }
        assertEquals(0f, into[3 + 4], "a constant column centres to zero");
        for (int j : new int[] {0, 1, 2, 10, 11}) {
            assertEquals(-9f, into[j], "outside the row, at " + j);
        }
    }

    /**
     * Sparse (Hydra's scaler): a zero stays zero, any other value is centred, and each deviation is raised by its
     * column's share of zeros to the fourth (plus 1e-8), so that a column of one non-zero in four is not blown up.
     */
    @Test
    void sparseKeepsZerosAndRaisesTheDeviationByTheShareOfZeros() {
        double[][] rows = {{0, 1}, {0, 3}, {0, 1}, {8, 3}};
        double[] mean = new double[2];
        double[] variance = new double[2];
        double[] zeros = new double[2];
        for (double[] row : rows) {
            Standardisation.addToMean(mean, row, rows.length);
            Standardisation.addToZeros(zeros, row, rows.length);
        }
        for (double[] row : rows) {
            Standardisation.addToVariance(variance, mean, row, rows.length);
        }
        Standardisation sparse = Standardisation.sparse(mean, variance, zeros);
        assertEquals(0.75, zeros[0], 0);
        assertEquals(Math.sqrt(12) + Math.pow(0.75, 4) + 1e-8, sparse.sd()[0], 1e-12);
        assertEquals(1 + 1e-8, sparse.sd()[1], 1e-12);
        assertArrayEquals(new double[] {0, -1 / (1 + 1e-8)}, sparse.apply(rows[0]), 1e-12);
        assertArrayEquals(new double[] {6 / sparse.sd()[0], 1 / (1 + 1e-8)}, sparse.apply(rows[3]), 1e-12);
        assertEquals(-2 / Math.sqrt(12), Standardisation.of(mean, variance).apply(rows[0])[0], 1e-12, "dense: zero is centred");
    }

    /**
     * Bounded, a standardised value beyond the range its column spanned over the rows is held at the range's edge (an
     * infinite one too), one within it is untouched to the bit, and a NaN stays NaN for the caller to see.
     */
    @Test
    void boundedHoldsValuesWithinTheRangeTheRowsSpanned() {
        double[][] rows = {{1, 10}, {3, 20}, {5, 30}, {4, 25}};
        Standardisation scaling = Standardisation.fit(rows);
        float[] low = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] high = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (double[] row : rows) {
            Standardisation.widen(low, high, scaling.apply(row));
        }
        Standardisation bounded = scaling.within(low, high);
        float[] free = new float[2];
        float[] held = new float[2];
        for (double[] row : rows) {
            scaling.applyInto(row, free, 0);
            bounded.applyInto(row, held, 0);
            assertArrayEquals(free, held);
        }
        bounded.applyInto(new double[] {100, 12}, held, 0);
        scaling.applyInto(new double[] {100, 12}, free, 0);
        assertArrayEquals(new float[] {high[0], free[1]}, held);
        assertArrayEquals(new double[] {low[0], high[1]}, bounded.apply(new double[] {-100, Double.POSITIVE_INFINITY}), 0);
        assertTrue(Double.isNaN(bounded.apply(new double[] {Double.NaN, 20})[0]));
        assertThrows(IllegalArgumentException.class, () -> scaling.within(low, new float[1]));
    }

    /**
     * A window row's feature that overflowed does not widen its column, and a column that no finite value widened is
     * left unbounded rather than holding every new value at an infinity.
     */
    @Test
    void onlyFiniteValuesWidenTheBounds() {
        float[] low = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] high = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        Standardisation.widen(low, high, new double[] {1, Double.POSITIVE_INFINITY});
        Standardisation.widen(low, high, new double[] {-2, Double.NaN});
        assertArrayEquals(new float[] {-2, Float.POSITIVE_INFINITY}, low);
        assertArrayEquals(new float[] {1, Float.NEGATIVE_INFINITY}, high);
        Standardisation bounded = new Standardisation(new double[2], new double[] {1, 1}).within(low, high);
        assertArrayEquals(new double[] {1, 1e30}, bounded.apply(new double[] {5, 1e30}), 0);
        assertArrayEquals(new double[] {-2, -1e30}, bounded.apply(new double[] {-5, -1e30}), 0);
    }
}
