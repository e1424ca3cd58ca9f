package io.seqclust.cli;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's own measured peak for {@code bench}: a float32 matrix product by ND4J's BLAS (OpenBLAS on the
 * CPU) on every core, large enough to run at the BLAS's full rate. A training step's GFLOP/s is shown as a share
 * of it, so that the distance to the physical limit is visible.
 */
final class Peak {

    static final int SIZE = 1024;
    private static final int ROUNDS = 10;

    private Peak() {
    }

    /** The best of {@value #ROUNDS} timed products (after three untimed ones), in GFLOP/s. */
    static double sgemmGflops(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        INDArray a = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
        INDArray b = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
        INDArray c = Nd4j.zeros(DataType.FLOAT, SIZE, SIZE);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < ROUNDS + 3; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            long ns = System.nanoTime() - t0;
            if (i >= 3) {
                best = Math.min(best, ns);
            }
        }
        return 2.0 * SIZE * SIZE * SIZE / best;
    }
}
