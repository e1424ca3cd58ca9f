package io.seqclust.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
