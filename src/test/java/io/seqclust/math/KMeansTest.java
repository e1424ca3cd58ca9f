package io.seqclust.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {

    @Test
    void separatesWellSeparatedBlobs() {
        Random r = new Random(3);
        double[][] centres = {{0, 0}, {10, 0}, {0, 10}};
        double[][] points = new double[300][];
        for (int i = 0; i < points.length; i++) {
            double[] c = centres[i % 3];
            points[i] = new double[] {c[0] + r.nextGaussian(), c[1] + r.nextGaussian()};
        }
        KMeans.Result result = KMeans.fit(points, 3, 5, 100, new Random(1));
        for (int i = 3; i < points.length; i++) {
            assertEquals(result.labels()[i % 3], result.labels()[i], "point " + i + " left its blob");
        }
        assertTrue(result.inertia() / points.length < 2.5, "inertia per point " + result.inertia() / points.length);
    }

    @Test
    void moreRestartsNeverRaiseTheInertia() {
        Random r = new Random(5);
        double[][] points = new double[200][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        }
        double one = KMeans.fit(points, 6, 1, 100, new Random(9)).inertia();
        double ten = KMeans.fit(points, 6, 10, 100, new Random(9)).inertia();
        assertTrue(ten <= one, ten + " > " + one);
    }

    @Test
    void refusesFewerPointsThanClusters() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new double[][] {{1}}, 2, 1, 10, new Random()));
    }
}
