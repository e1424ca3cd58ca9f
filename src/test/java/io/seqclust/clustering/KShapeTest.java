package io.seqclust.clustering;

import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.math.SymmetricEigen;
import io.seqclust.model.train.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KShapeTest {

    /**
     * Three bump shapes, each placed at a random offset and scaled and shifted in level: only the shape is
     * the class, which a distance comparing the same time steps cannot see.
     */
    static List<double[][]> shiftedShapes(int n, Random r, List<Integer> labels) {
        List<double[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            int length = 80;
            int offset = r.nextInt(40);
            double[][] x = new double[length][1];
            for (int t = 0; t < length; t++) {
                double u = (t - offset) / 20.0;
                double v = u < 0 || u > 1 ? 0 : switch (label) {
                    case 0 -> Math.sin(Math.PI * u);
                    case 1 -> u < 0.5 ? 1 : -1;
                    default -> 2 * u - 1;
                };
                x[t][0] = 3 + (1 + r.nextDouble()) * v + 0.05 * r.nextGaussian();
            }
            out.add(x);
            labels.add(label);
        }
        return out;
    }

    @Test
    void clustersShapesWhereverTheyStand() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = shiftedShapes(120, new Random(1), labels);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores kshape = ClusteringScores.of(truth,
                new KShape(KShape.Settings.DEFAULTS, 3).fit(data, 1, TrainingProgress.NONE).labels());
        ClusteringScores kmeans = ClusteringScores.of(truth,
                new KMeansPadded(KMeansPadded.Settings.DEFAULTS, 3).fit(data, 1, TrainingProgress.NONE).labels());
        System.out.printf("kshape %s; kmeans %s%n", kshape, kmeans);
        assertTrue(kshape.acc() >= 0.95, kshape.toString());
        assertTrue(kmeans.acc() < 0.8, "padded k-means should not see it: " + kmeans);
    }

    /** The power iteration finds what a full eigendecomposition of Yᵀ Y finds, up to sign. */
    @Test
    void theShapeIsTheLeadingEigenvector() {
        Random r = new Random(2);
        double[][] y = new double[15][12];
        for (double[] row : y) {
            double scale = r.nextGaussian();
            for (int t = 0; t < row.length; t++) {
                row[t] = scale * Math.sin(t / 2.0) + 0.3 * r.nextGaussian();
            }
            double[] z = KShape.zNormalise(row);
            System.arraycopy(z, 0, row, 0, row.length);
        }
        double[][] gram = new double[12][12];
        for (double[] row : y) {
            for (int a = 0; a < 12; a++) {
                for (int b = 0; b < 12; b++) {
                    gram[a][b] += row[a] * row[b];
                }
            }
        }
        double[] exact = SymmetricEigen.decompose(gram, 1).vectors()[0];
        double[] power = KShape.leadingRightSingularVector(y, null);
        double dot = 0;
        for (int t = 0; t < 12; t++) {
            dot += exact[t] * power[t];
        }
        assertEquals(1, Math.abs(dot), 1e-6);
    }
}
