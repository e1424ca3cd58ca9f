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
    void rowsWithANonFiniteFeatureDoNotShapeTheClustersAndStillGetALabel() {
        Random r = new Random(3);
        double[][] finite = new double[200][];
        for (int i = 0; i < finite.length; i++) {
            finite[i] = new double[] {(i % 2) * 10 + r.nextGaussian(), r.nextGaussian()};
        }
        double[][] mixed = new double[finite.length + 3][];
        System.arraycopy(finite, 0, mixed, 0, finite.length);
        mixed[200] = new double[] {Double.NaN, 0};
        mixed[201] = new double[] {10, Double.POSITIVE_INFINITY};
        mixed[202] = new double[] {Double.NEGATIVE_INFINITY, Double.NaN};
        KMeans.Result clean = KMeans.fit(finite, 2, 3, 100, new Random(4));
        KMeans.Result dirty = KMeans.fit(mixed, 2, 3, 100, new Random(4));
        assertTrue(java.util.Arrays.deepEquals(clean.centroids(), dirty.centroids()), "the same centroids");
        assertEquals(clean.inertia(), dirty.inertia());
        assertEquals(203, dirty.labels().length);
        assertEquals(dirty.labels()[1], dirty.labels()[201], "labelled by its finite coordinate, x = 10");
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new double[][] {{1}, {Double.NaN}}, 2, 1, 10, new Random()));
    }

    @Test
    void refusesFewerPointsThanClusters() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.fit(new double[][] {{1}}, 2, 1, 10, new Random()));
    }
}
