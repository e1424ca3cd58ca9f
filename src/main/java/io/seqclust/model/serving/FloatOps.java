package io.seqclust.model.serving;

/**
 * The float32 arithmetic of the serving networks: by the Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (README's command, the images and the tests do), in plain Java
 * otherwise — which JDK 17's compiler does not vectorise, as it cannot prove the rows distinct.
 */
public interface FloatOps {

    /** Rows are padded to a multiple of this many floats. */
    int width();

    /**
     * {@code y[i] += a[q] * x[q * n + i]} for {@code q < rows}, added one row after the other, and every
     * {@code i < n}, n a multiple of {@link #width()}: a vector–matrix product, x's rows n long.
     */
    void addRows(float[] a, int rows, float[] x, float[] y, int n);

    /**
     * One GRU step's state from its gate pre-activations (gates r, z, n in blocks of {@code units} floats):
     * {@code h = n + z ⊙ (prev − n)}, i.e. {@code (1 − z) ⊙ n + z ⊙ prev} with {@code r = σ(gx_r + gh_r)}, {@code z = σ(gx_z + gh_z)},
     * {@code n = tanh(gx_n + r ⊙ gh_n)}; units a multiple of {@link #width()}.
     */
    void gruState(float[] gx, float[] gh, float[] prev, float[] h, int units);

    /** The Vector API's where the module is present, else plain Java. */
    static FloatOps best() {
        return Holder.BEST;
    }

    /** Whether {@link #best()} is the Vector API's. */
    static boolean vectorised() {
        return Holder.VECTOR_API;
    }

    /** Lazily, so that a JVM without the module never loads the Vector API's class. */
    final class Holder {
        private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        private static final FloatOps BEST = VECTOR_API ? new VectorOps() : new Scalar();

        private Holder() {
        }
    }

    /** Plain Java. */
    final class Scalar implements FloatOps {

        @Override
        public int width() {
            return 1;
        }

        @Override
        public void addRows(float[] a, int rows, float[] x, float[] y, int n) {
            for (int q = 0; q < rows; q++) {
                float aq = a[q];
                int from = q * n;
                for (int i = 0; i < n; i++) {
                    y[i] += aq * x[from + i];
                }
            }
        }

        @Override
        public void gruState(float[] gx, float[] gh, float[] prev, float[] h, int units) {
            for (int j = 0; j < units; j++) {
                float r = sigmoid(gx[j] + gh[j]);
                float z = sigmoid(gx[units + j] + gh[units + j]);
                float n = (float) Math.tanh(gx[2 * units + j] + r * gh[2 * units + j]);
                h[j] = n + z * (prev[j] - n);
            }
        }

        private static float sigmoid(float a) {
            return (float) (1 / (1 + Math.exp(-a)));
        }
    }
}
