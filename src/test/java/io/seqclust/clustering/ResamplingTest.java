package io.seqclust.clustering;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResamplingTest {

    @Test
    void aSubsetHoldsTheShareOfTheIndicesWithoutRepeats() {
        int[] subset = Resampling.subset(50, new Random(3));
        assertEquals(40, subset.length);
        assertEquals(40, Arrays.stream(subset).distinct().count());
        assertEquals(0, Arrays.stream(subset).filter(i -> i < 0 || i >= 50).count());
        assertArrayEquals(subset, Resampling.subset(50, new Random(3)), "the same random source, the same subset");
    }

    @Test
    void aResamplesLabelsAreIndexedLikeTheWindow() {
        assertArrayEquals(new int[] {1, -1, 0, -1, 2}, Resampling.byIndex(5, new int[] {4, 0, 2}, new int[] {2, 1, 0}));
    }

    /**
     * Two resamples are compared on the sequences both held: what one left out does not count, however the other
     * labelled it; renamed clusters agree fully.
     */
    @Test
    void resamplesAgreeOnTheSequencesBothHeld() {
        int[] a = {0, 0, 1, 1, -1, -1};
        int[] renamed = {1, 1, 0, 0, 0, 1};
        int[] crossed = {0, 1, 0, 1, -1, -1};
        assertEquals(1.0, Resampling.agreement(List.of(a, renamed)), 1e-12);
        assertEquals(0.0, Resampling.agreement(List.of(a, crossed)), 1e-12);
        assertEquals(1.0 / 3, Resampling.agreement(List.of(a, renamed, crossed)), 1e-12, "the mean over the three pairs");
        assertEquals(0.0, Resampling.agreement(List.of(new int[] {0, -1}, new int[] {-1, 0})), "no sequence in common: no agreement");
        assertEquals(1.0, Resampling.agreement(List.of(a)));
    }
}
