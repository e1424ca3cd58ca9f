package io.seqclust.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectionPursuitTest {

    @Test
    void kurtosisOfTwoEqualMassesIsOneAndOfAGaussianThree() {
        assertEquals(1.0, ProjectionPursuit.kurtosis(new double[] {-2, 2, -2, 2, 5 - 7, 5 - 3}), 1e-12);
        Random random = new Random(1);
        double[] gaussian = new double[200_000];
        for (int i = 0; i < gaussian.length; i++) {
            gaussian[i] = 4 + 2 * random.nextGaussian();
        }
        assertEquals(3.0, ProjectionPursuit.kurtosis(gaussian), 0.05);
    }

    /**
     * Two groups lie apart along one direction of six standardised, uncorrelated coordinates, turned so that it is
     * no coordinate axis; every other direction is Gaussian noise of the same variance, so principal axes cannot tell
     * it apart. The least-kurtosis direction is the groups' own, and its projection splits them.
     */
    @Test
    void findsTheDirectionTheGroupsLieApartAlong() {
        Random random = new Random(3);
        int n = 300;
        int m = 6;
        double[] along = new double[m];
        for (int a = 0; a < m; a++) {
            along[a] = random.nextGaussian();
        }
        double norm = Math.sqrt(java.util.Arrays.stream(along).map(v -> v * v).sum());
        for (int a = 0; a < m; a++) {
            along[a] /= norm;
        }
        double[][] y = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] g = new double[m];
            for (int a = 0; a < m; a++) {
                g[a] = random.nextGaussian();
            }
            double onAlong = 0;
            for (int a = 0; a < m; a++) {
                onAlong += g[a] * along[a];
            }
            // about unit variance along the groups' direction too (kurtosis about 1.35): ±0.95 plus a little noise
            double split = (i % 2 == 0 ? 0.95 : -0.95) + 0.3 * random.nextGaussian();
            for (int a = 0; a < m; a++) {
                y[i][a] = g[a] + (split - onAlong) * along[a];
            }
        }
        double[] w = ProjectionPursuit.leastKurtosis(y, m, new Random(4));
        double cosine = 0;
        for (int a = 0; a < m; a++) {
            cosine += w[a] * along[a];
        }
        assertTrue(Math.abs(cosine) > 0.97, "cosine with the groups' direction " + cosine);
        double[] p = ProjectionPursuit.project(y, w);
        double evenSide = Math.signum(p[0]);
        for (int i = 0; i < n; i++) {
            assertEquals(i % 2 == 0 ? evenSide : -evenSide, Math.signum(p[i]), "row " + i);
        }
        assertTrue(ProjectionPursuit.kurtosis(p) < 1.5, "kurtosis " + ProjectionPursuit.kurtosis(p));
    }
}
