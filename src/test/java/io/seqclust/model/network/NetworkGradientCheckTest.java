package io.seqclust.model.network;

import io.seqclust.model.GradientCheck;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.Param;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.loss.SpectralKMeansLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole RDDC and DTCR networks against finite differences (double precision, relative error < 1e-5). */
class NetworkGradientCheckTest {

    @ParameterizedTest(name = "encoder engine {0}")
    @EnumSource(value = EngineKind.class, names = {"JAVA", "ND4J"})
    void rddcAtOnce(EngineKind engine) {
        Random r = new Random(8);
        RddcNetwork net = new RddcNetwork(2, 3, 3, 2, 5, r, engine, Gru.Init.HE);
        List<double[][]> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(random(r, 1 + i % 4, 2));
        }
        // σ² is a constant of the step: hold it at the unperturbed batch's value. The loss is O(1) here, so the
        // difference quotient's round-off (~1e-10) swamps gradients below 1e-6: those are not compared.
        double sigma2 = net.step(batch, Double.NaN, true).sigma2();
        DoubleSupplier loss = () -> net.step(batch, sigma2, false).loss().total();
        for (Param p : net.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss, 1e-6);
        }
    }

    /** RDDC's pretraining: its encoder and the reconstruction decoder, the reconstruction loss alone. */
    @ParameterizedTest(name = "encoder engine {0}")
    @EnumSource(value = EngineKind.class, names = {"JAVA", "ND4J"})
    void rddcsPretraining(EngineKind engine) {
        Random r = new Random(9);
        RddcNetwork net = new RddcNetwork(2, 3, 3, 2, 5, r, engine, Gru.Init.HE);
        RddcNetwork.Pretraining pretraining = net.pretraining(r);
        List<double[][]> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(random(r, 1 + i % 4, 2));
        }
        LossTerms loss = pretraining.lossAndGradients(batch, r);
        assertEquals(List.of(RddcNetwork.RECONSTRUCTION), List.copyOf(loss.terms().keySet()));
        assertEquals(loss.total(), pretraining.loss(batch).total(), 0);
        int encoderParams = 2 * 2 * 4; // layers × directions × (wx, wh, bx, bh)
        int decoderParams = 4 + 2; // its GRU, its readout
        assertEquals(encoderParams + decoderParams, pretraining.params().size());
        for (int i = 0; i < net.params().size(); i++) {
            assertEquals(i < encoderParams, pretraining.params().contains(net.params().get(i)),
                    net.params().get(i).name + ": the encoder is pretrained, the layers after it are not");
        }
        // the difference quotient's round-off (~1e-10 here) swamps gradients below 1e-4: those are not compared
        long compared = 0;
        for (Param p : pretraining.params()) {
            assertNotEquals(0.0, Arrays.stream(p.grad).map(Math::abs).sum(), p.name + " has a gradient");
            GradientCheck.check(p.name, p.value, p.grad.clone(), () -> pretraining.loss(batch).total(), 1e-4);
            compared += Arrays.stream(p.grad).filter(g -> Math.abs(g) >= 1e-4).count();
        }
        assertTrue(compared > 100, compared + " gradients compared");
    }

    @ParameterizedTest
    @EnumSource(ReconstructionDecoder.Feed.class)
    void dtcrAtOnce(ReconstructionDecoder.Feed feed) {
        Random r = new Random(15);
        DtcrNetwork net = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, feed, EngineKind.JAVA, 0.5, 0, r);
        List<double[][]> real = new ArrayList<>();
        List<double[][]> encoded = batch(r, real);
        double[][] f = indicator(net, real);
        net.step(real, encoded, f, true);
        // the difference quotient's round-off (~5e-10 here) swamps gradients below 1e-4: those are not compared
        DoubleSupplier loss = () -> net.step(real, encoded, f, false).total();
        for (Param p : net.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss, 1e-4);
        }
    }

    /**
     * The nd4j engine against the finite-difference-checked Java one (a finite-difference check through ND4J
     * takes minutes: hundreds of small native calls per evaluation).
     */
    @Test
    void theNd4jEngineTrainsTheSameDtcrNetwork() {
        DtcrNetwork[] nets = new DtcrNetwork[2];
        EngineKind[] engines = {EngineKind.JAVA, EngineKind.ND4J};
        Random r = new Random(19);
        List<double[][]> real = new ArrayList<>();
        List<double[][]> encoded = batch(r, real);
        LossTerms[] losses = new LossTerms[2];
        for (int e = 0; e < 2; e++) {
            nets[e] = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, ReconstructionDecoder.Feed.TEACHER_FORCING,
                    engines[e], 0.5, 0, new Random(20));
            losses[e] = nets[e].step(real, encoded, indicator(nets[0], real), true);
        }
        assertEquals(losses[0].total(), losses[1].total(), 1e-12);
        for (int p = 0; p < nets[0].params().size(); p++) {
            Param reference = nets[0].params().get(p);
            assertArrayEquals(reference.grad, nets[1].params().get(p).grad, 1e-11, reference.name);
            assertNotEquals(0.0, Arrays.stream(reference.grad).map(Math::abs).sum(), reference.name + " has a gradient");
        }
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
        double[] sortedValues = Arrays.stream(fake).mapToDouble(v -> v[0]).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 50).asDoubleStream().toArray(), sortedValues, 0, "a permutation");
    }

    /** Below 10 steps ⌊0.2 T⌋ is under 2: two steps are still swapped, so that a fake differs from its sequence. */
    @Test
    void fakesOfShortSequencesDifferToo() {
        Random r = new Random(21);
        for (int steps = 2; steps < 10; steps++) {
            double[][] x = random(r, steps, 2);
            double[][] fake = FakeSamples.of(x, r);
            assertTrue(!Arrays.deepEquals(x, fake), steps + " steps");
            double[] before = Arrays.stream(x).mapToDouble(v -> v[0]).sorted().toArray();
            double[] after = Arrays.stream(fake).mapToDouble(v -> v[0]).sorted().toArray();
            assertArrayEquals(before, after, 0, "a permutation of the steps");
        }
        double[][] one = random(r, 1, 2);
        assertTrue(Arrays.deepEquals(one, FakeSamples.of(one, r)), "one step has no other order");
    }

    /** Five real sequences of lengths 1..9 into {@code real}; returns what the encoder reads: them, then a fake of each. */
    /**
     * DTCR's pretraining is the same network with the k-means term off: its loss and every gradient are, to the
     * bit, those of a network built alike with λ = 0; the clustering term, switched on, changes them.
     */
    @Test
    void dtcrPretrainingLeavesOutTheKMeansTerm() {
        List<double[][]> real = new ArrayList<>();
        batch(new Random(21), real);
        DtcrNetwork clustering = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, ReconstructionDecoder.Feed.TEACHER_FORCING,
                EngineKind.JAVA, 0.5, 0, new Random(22));
        DtcrNetwork plain = new DtcrNetwork(2, 2, new int[] {3, 2}, new int[] {1, 2}, ReconstructionDecoder.Feed.TEACHER_FORCING,
                EngineKind.JAVA, 0, 0, new Random(22));
        LossTerms pretraining = clustering.pretraining().lossAndGradients(real, new Random(23));
        List<double[]> pretrainingGrads = clustering.params().stream().map(p -> p.grad.clone()).toList();
        LossTerms reference = plain.lossAndGradients(real, new Random(23));
        assertEquals(reference.terms(), pretraining.terms());
        assertEquals(0.0, pretraining.terms().get(DtcrNetwork.KMEANS));
        for (int i = 0; i < plain.params().size(); i++) {
            assertArrayEquals(plain.params().get(i).grad, pretrainingGrads.get(i), plain.params().get(i).name);
        }
        LossTerms full = clustering.lossAndGradients(real, new Random(23));
        assertTrue(full.terms().get(DtcrNetwork.KMEANS) > 0, full.toString());
        assertTrue(IntStream.range(0, plain.params().size())
                .anyMatch(i -> !Arrays.equals(plain.params().get(i).grad, clustering.params().get(i).grad)));
    }

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
        var encoder = net.serving();
        double[][] h = real.stream().map(encoder::encode).toArray(double[][]::new);
        return SpectralKMeansLoss.indicator(h, 2);
    }
}
