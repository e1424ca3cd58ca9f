package io.seqclust.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The ND4J engine (padded, masked batch) computes what the Java engine (one sequence at a time) does. */
class EncoderEngineTest {

    static java.util.stream.Stream<BiGruEncoder> encoders() {
        return java.util.stream.Stream.of(
                new BiGruEncoder(3, 4, 2, Gru.Init.he, new Random(5)),
                // DTCR's shape: layers of different widths, dilated, every layer in the encoding
                new BiGruEncoder(3, new int[] {4, 3, 2}, new int[] {1, 2, 4}, true, Gru.Init.uniform, new Random(5)));
    }

    @ParameterizedTest
    @MethodSource("encoders")
    void nd4jMatchesJavaOnRaggedLengths(BiGruEncoder encoder) {
        Random r = new Random(6);
        List<double[][]> batch = new ArrayList<>();
        for (int len : new int[] {1, 7, 3, 12, 1, 5}) {
            batch.add(GradientCheck.random(r, len, 3));
        }
        double[][] upstream = new double[batch.size()][encoder.outputSize()];
        for (double[] row : upstream) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][][] encodings = new double[2][][];
        double[][][] grads = new double[2][][];
        EncoderEngine.Kind[] kinds = {EncoderEngine.Kind.java, EncoderEngine.Kind.nd4j};
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
            assertNotEquals(0.0, java.util.Arrays.stream(grads[1][p]).map(Math::abs).sum(), params.get(p).name + " has a gradient");
        }
    }

    @Test
    void autoIsJavaWithoutTheCudaBackend() {
        assertEquals(EncoderEngine.Kind.java, EncoderEngine.Kind.auto.resolve());
    }
}
