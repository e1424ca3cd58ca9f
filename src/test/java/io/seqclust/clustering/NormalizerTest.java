package io.seqclust.clustering;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NormalizerTest {

    /** A small spread on a large level: a one-pass sum of squares would call it constant (sd 1). */
    @Test
    void channelStatisticsSurviveALargeOffset() {
        Random r = new Random(1);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            double[][] x = new double[40][2];
            for (double[] row : x) {
                row[0] = 1e8 + 0.1 * r.nextGaussian();
                row[1] = -3 + 2 * r.nextGaussian();
            }
            window.add(x);
        }
        double[][] stats = Normalizer.fit(Normalizer.Normalization.CHANNEL, window).stats();
        assertEquals(1e8, stats[0][0], 0.01);
        assertEquals(0.1, stats[1][0], 0.005);
        assertEquals(2, stats[1][1], 0.1);
    }

    @Test
    void autoIsSeriesForOneChannelAndChannelForSeveral() {
        List<double[][]> one = List.<double[][]>of(new double[][] {{1}, {2}, {4}});
        List<double[][]> two = List.<double[][]>of(new double[][] {{1, 5}, {2, 6}, {4, 9}});
        assertEquals(Normalizer.Normalization.SERIES, Normalizer.fit(Normalizer.Normalization.AUTO, one).how());
        assertEquals(Normalizer.Normalization.CHANNEL, Normalizer.fit(Normalizer.Normalization.AUTO, two).how());
    }
}
