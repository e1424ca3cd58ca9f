package io.seqclust.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DTCR's parts against finite differences (double precision, relative error < 1e-5), and its pure helpers. */
class DtcrGradientCheckTest {

    @Test
    void spectralKMeansTerm() {
        Random r = new Random(12);
        double[][] h = random(r, 7, 4);
        double[][] f = SpectralKMeansLoss.indicator(h, 3);
        double[][] dH = SpectralKMeansLoss.evaluate(h, f).dH();
        checkMatrix("dH", h, dH, () -> SpectralKMeansLoss.evaluate(h, f).value());
    }

    @Test
    void theTopEigenvectorsMinimiseTheTerm() {
        Random r = new Random(13);
        double[][] h = random(r, 9, 5);
        double[][] f = SpectralKMeansLoss.indicator(h, 2);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double dot = 0;
                for (double[] row : f) {
                    dot += row[a] * row[b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-10, "FᵀF = I");
            }
        }
        double best = SpectralKMeansLoss.evaluate(h, f).value();
        // any other orthonormal pair of columns does no better: try random ones (Gram-Schmidt)
        for (int trial = 0; trial < 20; trial++) {
            double[][] g = random(r, 9, 2);
            orthonormalise(g);
            assertTrue(SpectralKMeansLoss.evaluate(h, g).value() >= best - 1e-9);
        }
        // a sum of squared residuals outside F's span: never negative
        assertTrue(best >= 0);
    }

    @Test
    void fakesShuffleAFifthOfTheSteps() {
        Random r = new Random(14);
        double[][] x = new double[50][1];
        for (int t = 0; t < 50; t++) {
            x[t][0] = t;
        }
        double[][] fake = FakeSamples.of(x, r);
        int moved = 0;
        for (int t = 0; t < 50; t++) {
            if (fake[t][0] != t) {
                moved++;
            }
        }
        assertTrue(moved >= 2 && moved <= 10, "moved " + moved);
        double[] sortedValues = java.util.Arrays.stream(fake).mapToDouble(v -> v[0]).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).asDoubleStream().toArray(), sortedValues, 0, "a permutation");
        assertNotEquals(0, moved);
    }

    /** Every decoder the engines run: both feeds on Java, teacher forcing on ND4J. */
    static java.util.stream.Stream<Arguments> decoders() {
        return java.util.stream.Stream.of(
                Arguments.of(SequenceDecoder.Feed.TEACHER_FORCING, EncoderEngine.Kind.java),
                Arguments.of(SequenceDecoder.Feed.FREE_RUNNING, EncoderEngine.Kind.java),
                Arguments.of(SequenceDecoder.Feed.TEACHER_FORCING, EncoderEngine.Kind.nd4j));
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void theDecoder(SequenceDecoder.Feed feed, EncoderEngine.Kind engine) {
        Random r = new Random(16);
        SequenceDecoder decoder = new SequenceDecoder(2, 3, feed, engine, r);
        List<double[][]> targets = List.of(random(r, 1, 2), random(r, 4, 2), random(r, 7, 2));
        double[][] initial = random(r, 3, 3);
        decoder.params().forEach(Param::zeroGrad);
        double[][] dInitial = decoder.reconstruct(targets, initial, true).dInitial();
        java.util.function.DoubleSupplier loss = () -> decoder.reconstruct(targets, initial, false).loss();
        for (Param p : decoder.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss);
        }
        checkMatrix("dInitial", initial, dInitial, loss);
    }

    @Test
    void freeRunningFeedsBackTheReadout() {
        Random r = new Random(17);
        SequenceDecoder free = new SequenceDecoder(1, 3, SequenceDecoder.Feed.FREE_RUNNING, EncoderEngine.Kind.java, new Random(18));
        SequenceDecoder forced = new SequenceDecoder(1, 3, SequenceDecoder.Feed.TEACHER_FORCING, EncoderEngine.Kind.java, new Random(18));
        List<double[][]> targets = List.<double[][]>of(random(r, 6, 1));
        double[][] initial = random(r, 1, 3);
        // same weights, same first step (both read zeros); then only the free-running one reads its own output
        assertNotEquals(forced.reconstruct(targets, initial, false).loss(), free.reconstruct(targets, initial, false).loss());
        List<double[][]> single = List.<double[][]>of(random(r, 1, 1));
        assertEquals(forced.reconstruct(single, initial, false).loss(), free.reconstruct(single, initial, false).loss(), 0);
    }

    @ParameterizedTest
    @EnumSource(SequenceDecoder.Feed.class)
    void theWholeNetworkAtOnce(SequenceDecoder.Feed feed) {
        Random r = new Random(15);
        DtcrNetwork net = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, feed, EncoderEngine.Kind.java, r);
        List<double[][]> real = new ArrayList<>();
        List<double[][]> encoded = batch(r, real);
        double lambda = 0.5;
        double[][] f = indicator(net, real);
        net.step(real, encoded, lambda, f, true);
        // the difference quotient's round-off (~5e-10 here) swamps gradients below 1e-4: those are not compared
        java.util.function.DoubleSupplier loss = () -> net.step(real, encoded, lambda, f, false).total();
        for (Param p : net.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss, 1e-4);
        }
    }

    /**
     * The nd4j engine against the finite-difference-checked Java one (a finite-difference check through ND4J
     * takes minutes: hundreds of small native calls per evaluation).
     */
    @Test
    void theNd4jEngineTrainsTheSameNetwork() {
        DtcrNetwork[] nets = new DtcrNetwork[2];
        EncoderEngine.Kind[] engines = {EncoderEngine.Kind.java, EncoderEngine.Kind.nd4j};
        Random r = new Random(19);
        List<double[][]> real = new ArrayList<>();
        List<double[][]> encoded = batch(r, real);
        DtcrNetwork.StepLoss[] losses = new DtcrNetwork.StepLoss[2];
        for (int e = 0; e < 2; e++) {
            nets[e] = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, SequenceDecoder.Feed.TEACHER_FORCING,
                    engines[e], new Random(20));
            losses[e] = nets[e].step(real, encoded, 0.5, indicator(nets[0], real), true);
        }
        assertEquals(losses[0].total(), losses[1].total(), 1e-12);
        for (int p = 0; p < nets[0].params().size(); p++) {
            Param reference = nets[0].params().get(p);
            assertArrayEquals(reference.grad, nets[1].params().get(p).grad, 1e-11, reference.name);
            assertNotEquals(0.0, java.util.Arrays.stream(reference.grad).map(Math::abs).sum(), reference.name + " has a gradient");
        }
    }

    /** Five real sequences of lengths 1..9 into {@code real}; returns what the encoder reads: them, then a fake of each. */
    private static List<double[][]> batch(Random r, List<double[][]> real) {
        for (int i = 0; i < 5; i++) {
            real.add(random(r, 1 + 2 * i, 2));
        }
        List<double[][]> encoded = new ArrayList<>(real);
        for (double[][] x : real) {
            encoded.add(FakeSamples.of(x, r));
        }
        return encoded;
    }

    /** F is a constant of the step, as σ² is for RDDC: held at the unperturbed batch's value. */
    private static double[][] indicator(DtcrNetwork net, List<double[][]> real) {
        double[][] h = real.stream().map(net::represent).toArray(double[][]::new);
        return SpectralKMeansLoss.indicator(h, 2);
    }

    private static void orthonormalise(double[][] g) {
        int cols = g[0].length;
        for (int c = 0; c < cols; c++) {
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (double[] row : g) {
                    dot += row[c] * row[prev];
                }
                for (double[] row : g) {
                    row[c] -= dot * row[prev];
                }
            }
            double norm = 0;
            for (double[] row : g) {
                norm += row[c] * row[c];
            }
            for (double[] row : g) {
                row[c] /= Math.sqrt(norm);
            }
        }
    }
}
