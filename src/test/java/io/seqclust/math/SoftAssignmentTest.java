package io.seqclust.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftAssignmentTest {

    @Test
    void nearerIsLikelierAndATemperatureSharpens() {
        double[] warm = SoftAssignment.of(new double[] {1, 2, 4}, 1);
        double[] cold = SoftAssignment.of(new double[] {1, 2, 4}, 0.1);
        assertEquals(1, warm[0] + warm[1] + warm[2], 1e-12);
        assertTrue(warm[0] > warm[1] && warm[1] > warm[2]);
        assertTrue(cold[0] > warm[0]);
        assertArrayEquals(new double[] {1, 0, 0}, SoftAssignment.of(new double[] {0, 1e6, 1e9}, 1), 1e-12, "no overflow");
    }

    @Test
    void standardisationCentresAndScalesEachColumnAndLeavesAConstantOne() {
        Standardisation s = Standardisation.fit(new double[][] {{1, 5}, {3, 5}});
        assertArrayEquals(new double[] {2, 5}, s.mean(), 0);
        assertArrayEquals(new double[] {1, 1}, s.sd(), 0);
        assertArrayEquals(new double[] {1, 0}, s.apply(new double[] {3, 5}), 0);
    }
}
