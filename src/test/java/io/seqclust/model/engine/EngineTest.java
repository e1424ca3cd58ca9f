package io.seqclust.model.engine;

import io.seqclust.model.GradientCheck;
import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.layer.Param;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.serving.FloatOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

import static io.seqclust.model.GradientCheck.checkMatrix;
import static io.seqclust.model.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ND4J engine (padded, masked batch) computes what the Java engine (one sequence at a time) does, and
 * every decoder the engines run is checked against finite differences.
 */
class EngineTest {

    static Stream<BiGruEncoder> encoders() {
        return Stream.of(
                new BiGruEncoder(3, 4, 2, Gru.Init.HE, new Random(5)),
                // DTCR's shape: layers of different widths, dilated, every layer in the encoding
                new BiGruEncoder(3, new int[] {4, 3, 2}, new int[] {1, 2, 4}, true, Gru.Init.UNIFORM, new Random(5)));
    }

    @ParameterizedTest
    @MethodSource("encoders")
    void nd4jEncoderMatchesJavaOnRaggedLengths(BiGruEncoder encoder) {
        Random r = new Random(6);
        List<double[][]> batch = new ArrayList<>();
        for (int len : new int[] {1, 7, 3, 12, 1, 5}) {
            batch.add(random(r, len, 3));
        }
        double[][] upstream = random(r, batch.size(), encoder.outputSize());
        double[][][] encodings = new double[2][][];
        double[][][] grads = new double[2][][];
        EngineKind[] kinds = {EngineKind.JAVA, EngineKind.ND4J};
        for (int e = 0; e < 2; e++) {
            encoder.params().forEach(Param::zeroGrad);
            int engine = e;
            EncoderEngine.create(kinds[e], encoder).run(batch, enc -> {
                encodings[engine] = enc;
                return upstream;
            });
            grads[e] = encoder.params().stream().map(p -> p.grad.clone()).toArray(double[][]::new);
        }
        for (int i = 0; i < batch.size(); i++) {
            assertArrayEquals(encodings[0][i], encodings[1][i], 1e-12, "encoding of sequence " + i);
        }
        List<Param> params = encoder.params();
        for (int p = 0; p < params.size(); p++) {
            assertArrayEquals(grads[0][p], grads[1][p], 1e-11, params.get(p).name);
            assertNotEquals(0.0, Arrays.stream(grads[1][p]).map(Math::abs).sum(), params.get(p).name + " has a gradient");
        }
    }

    /** The packed float32 engine, with either arithmetic, computes what the double-precision Java engine does, to float precision. */
    @ParameterizedTest
    @MethodSource("encoders")
    void packedEncoderMatchesJavaToFloatPrecision(BiGruEncoder encoder) {
        Random r = new Random(7);
        List<double[][]> batch = new ArrayList<>();
        for (int len : new int[] {1, 7, 3, 12, 1, 5, 12, 2}) {
            batch.add(random(r, len, 3));
        }
        double[][] upstream = random(r, batch.size(), encoder.outputSize());
        List<EncoderEngine> engines = List.of(EncoderEngine.create(EngineKind.JAVA, encoder),
                new PackedEncoderEngine(encoder, new FloatOps.Scalar()), EncoderEngine.create(EngineKind.PACKED, encoder));
        double[][][] encodings = new double[engines.size()][][];
        double[][][] grads = new double[engines.size()][][];
        for (int e = 0; e < engines.size(); e++) {
            encoder.params().forEach(Param::zeroGrad);
            int engine = e;
            engines.get(e).run(batch, enc -> {
                encodings[engine] = enc;
                return upstream;
            });
            grads[e] = encoder.params().stream().map(p -> p.grad.clone()).toArray(double[][]::new);
        }
        List<Param> params = encoder.params();
        for (int e = 1; e < engines.size(); e++) {
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(encodings[0][i], encodings[e][i], 1e-5, "engine " + e + ", encoding of sequence " + i);
            }
            for (int p = 0; p < params.size(); p++) {
                double scale = Arrays.stream(grads[0][p]).map(Math::abs).max().orElseThrow();
                assertArrayEquals(grads[0][p], grads[e][p], 1e-5 * Math.max(1, scale), "engine " + e + ", " + params.get(p).name);
            }
        }
    }

    @Test
    void autoIsPackedWithTheVectorApiAndWithoutTheCudaBackend() {
        assertTrue(FloatOps.vectorised(), "the build starts the tests with --add-modules jdk.incubator.vector");
        assertEquals(EngineKind.PACKED, EngineKind.AUTO.resolve());
    }

    /** Every decoder the engines run: both feeds on Java, teacher forcing on ND4J. */
    static Stream<Arguments> decoders() {
        return Stream.of(
                Arguments.of(ReconstructionDecoder.Feed.TEACHER_FORCING, EngineKind.JAVA),
                Arguments.of(ReconstructionDecoder.Feed.FREE_RUNNING, EngineKind.JAVA),
                Arguments.of(ReconstructionDecoder.Feed.TEACHER_FORCING, EngineKind.ND4J));
    }

    @ParameterizedTest
    @MethodSource("decoders")
    void theDecoder(ReconstructionDecoder.Feed feed, EngineKind kind) {
        Random r = new Random(16);
        ReconstructionDecoder decoder = new ReconstructionDecoder(2, 3, feed, r);
        DecoderEngine engine = DecoderEngine.create(kind, decoder);
        List<double[][]> targets = List.of(random(r, 1, 2), random(r, 4, 2), random(r, 7, 2));
        double[][] initial = random(r, 3, 3);
        decoder.params().forEach(Param::zeroGrad);
        double[][] dInitial = engine.reconstruct(targets, initial, true).dInitial();
        DoubleSupplier loss = () -> engine.reconstruct(targets, initial, false).loss();
        for (Param p : decoder.params()) {
            GradientCheck.check(p.name, p.value, p.grad.clone(), loss);
        }
        checkMatrix("dInitial", initial, dInitial, loss);
    }

    /** The packed teacher-forced decoder, with either arithmetic: the java engine's loss, gradients and dL/d(initial) to float precision. */
    @Test
    void packedDecoderMatchesJavaToFloatPrecision() {
        Random r = new Random(19);
        ReconstructionDecoder decoder = new ReconstructionDecoder(2, 21, ReconstructionDecoder.Feed.TEACHER_FORCING, r);
        List<double[][]> targets = List.of(random(r, 1, 2), random(r, 9, 2), random(r, 4, 2), random(r, 9, 2), random(r, 2, 2));
        double[][] initial = random(r, targets.size(), 21);
        List<DecoderEngine> engines = List.of(DecoderEngine.create(EngineKind.JAVA, decoder),
                new PackedDecoderEngine(decoder, new FloatOps.Scalar()), DecoderEngine.create(EngineKind.PACKED, decoder));
        assertTrue(engines.get(2) instanceof PackedDecoderEngine);
        List<DecoderEngine.Result> results = new ArrayList<>();
        List<double[][]> grads = new ArrayList<>();
        for (DecoderEngine engine : engines) {
            decoder.params().forEach(Param::zeroGrad);
            results.add(engine.reconstruct(targets, initial, true));
            grads.add(decoder.params().stream().map(p -> p.grad.clone()).toArray(double[][]::new));
            assertEquals(results.get(results.size() - 1).loss(), engine.reconstruct(targets, initial, false).loss(), 0,
                    "the forward-only loss is the same");
        }
        List<Param> params = decoder.params();
        for (int e = 1; e < engines.size(); e++) {
            assertEquals(results.get(0).loss(), results.get(e).loss(), 1e-5 * results.get(0).loss(), "engine " + e + ", loss");
            for (int i = 0; i < targets.size(); i++) {
                assertArrayEquals(results.get(0).dInitial()[i], results.get(e).dInitial()[i], 1e-5, "engine " + e + ", dInitial " + i);
            }
            for (int p = 0; p < params.size(); p++) {
                assertArrayEquals(grads.get(0)[p], grads.get(e)[p], 1e-5, "engine " + e + ", " + params.get(p).name);
                assertNotEquals(0.0, Arrays.stream(grads.get(e)[p]).map(Math::abs).sum(), params.get(p).name + " has a gradient");
            }
        }
    }

    @Test
    void freeRunningFeedsBackTheReadout() {
        Random r = new Random(17);
        DecoderEngine free = DecoderEngine.create(EngineKind.JAVA,
                new ReconstructionDecoder(1, 3, ReconstructionDecoder.Feed.FREE_RUNNING, new Random(18)));
        DecoderEngine forced = DecoderEngine.create(EngineKind.JAVA,
                new ReconstructionDecoder(1, 3, ReconstructionDecoder.Feed.TEACHER_FORCING, new Random(18)));
        List<double[][]> targets = List.<double[][]>of(random(r, 6, 1));
        double[][] initial = random(r, 1, 3);
        // same weights, same first step (both read zeros); then only the free-running one reads its own output
        assertNotEquals(forced.reconstruct(targets, initial, false).loss(), free.reconstruct(targets, initial, false).loss());
        List<double[][]> single = List.<double[][]>of(random(r, 1, 1));
        assertEquals(forced.reconstruct(single, initial, false).loss(), free.reconstruct(single, initial, false).loss(), 0);
    }

    @Test
    void theFreeRunningDecoderIsRefusedOnNd4j() {
        assertThrows(IllegalArgumentException.class, () -> DecoderEngine.create(EngineKind.ND4J,
                new ReconstructionDecoder(1, 3, ReconstructionDecoder.Feed.FREE_RUNNING, new Random(1))));
    }
}
