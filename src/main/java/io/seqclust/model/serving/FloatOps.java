package io.seqclust.model.serving;

/**
 * The float32 arithmetic of the serving networks and of the packed training engine: by the Vector API when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (README's command, the images and the tests do), in plain Java
 * otherwise — which JDK 17's compiler does not vectorise, as it cannot prove the rows distinct.
 */
public interface FloatOps {

    /** Rows are padded to a multiple of this many floats. */
    int width();

    /**
     * {@code C += A B}, A m × k (row i from {@code aFrom + i * aStride}), B k × n (row q from {@code bFrom + q * n}),
     * C m × n (row i from {@code cFrom + i * cStride}), n a multiple of {@link #width()}: each element of C gets its
     * products added over q in order, so that a row comes out the same however many rows are in the call.
     */
    void multiply(float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c, int cFrom, int cStride, int n);

    /**
     * {@code C = bias + A B} as {@link #multiply} leaves rows of C that held {@code bias} (n floats) before, without
     * writing them first.
     */
    void multiplyFrom(float[] bias, float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c, int cFrom,
                      int cStride, int n);

    /**
     * One GRU step of {@code rows} sequences from their gate pre-activations (per row, blocks r, z, n of {@code units}
     * floats; row b's from {@code from + 3 b units} in gx and gh): writes {@code gates = [r | z | n]} there, with
     * {@code r = σ(gx_r + gh_r)}, {@code z = σ(gx_z + gh_z)}, {@code n = tanh(gx_n + r ⊙ gh_n)}, and the state
     * {@code h = n + z ⊙ (prev − n)}, i.e. {@code (1 − z) ⊙ n + z ⊙ prev}, from {@code hFrom + b units}; row b's
     * previous state from {@code prevFrom + b prevStride} (stride 0: one state for every row); units a multiple of
     * {@link #width()}. Rows in one call: a call per row cost the vectorised gates a quarter of their time.
     */
    void gruGates(int rows, float[] gx, float[] gh, int from, float[] prev, int prevFrom, int prevStride, float[] gates,
                  float[] h, int hFrom, int units);

    /**
     * The step of {@link #gruGates} backwards: from dL/dh ({@code dh}), the gates and gh it kept, writes the
     * gradients of the gate pre-activations, {@code dgx} (input side) and {@code dgh} (recurrent side: its n
     * block is gated by r) from {@code from}, and adds dL/d(prev) through z to {@code dPrev}.
     */
    void gruBackward(float[] gates, float[] gh, int from, float[] prev, int prevFrom, float[] dh, int dhFrom,
                     float[] dPrev, int dPrevFrom, float[] dgx, float[] dgh, int units);

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
        public void multiply(float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c, int cFrom, int cStride,
                             int n) {
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    float aq = a[aFrom + i * aStride + q];
                    int from = bFrom + q * n;
                    int to = cFrom + i * cStride;
                    for (int j = 0; j < n; j++) {
                        c[to + j] += aq * b[from + j];
                    }
                }
            }
        }

        @Override
        public void multiplyFrom(float[] bias, float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c,
                                 int cFrom, int cStride, int n) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(bias, 0, c, cFrom + i * cStride, n);
            }
            multiply(a, aFrom, aStride, m, k, b, bFrom, c, cFrom, cStride, n);
        }

        @Override
        public void gruGates(int rows, float[] gx, float[] gh, int from, float[] prev, int prevFrom, int prevStride,
                             float[] gates, float[] h, int hFrom, int units) {
            for (int b = 0; b < rows; b++) {
                int g0 = from + 3 * b * units;
                for (int j = 0; j < units; j++) {
                    float r = sigmoid(gx[g0 + j] + gh[g0 + j]);
                    float z = sigmoid(gx[g0 + units + j] + gh[g0 + units + j]);
                    float n = (float) Math.tanh(gx[g0 + 2 * units + j] + r * gh[g0 + 2 * units + j]);
                    gates[g0 + j] = r;
                    gates[g0 + units + j] = z;
                    gates[g0 + 2 * units + j] = n;
                    h[hFrom + b * units + j] = n + z * (prev[prevFrom + b * prevStride + j] - n);
                }
            }
        }

        @Override
        public void gruBackward(float[] gates, float[] gh, int from, float[] prev, int prevFrom, float[] dh, int dhFrom,
                                float[] dPrev, int dPrevFrom, float[] dgx, float[] dgh, int units) {
            for (int j = 0; j < units; j++) {
                float r = gates[from + j];
                float z = gates[from + units + j];
                float n = gates[from + 2 * units + j];
                float d = dh[dhFrom + j];
                float dan = d * (1 - z) * (1 - n * n);
                float dar = dan * gh[from + 2 * units + j] * r * (1 - r);
                float daz = d * (prev[prevFrom + j] - n) * z * (1 - z);
                dPrev[dPrevFrom + j] += d * z;
                dgx[from + j] = dar;
                dgx[from + units + j] = daz;
                dgx[from + 2 * units + j] = dan;
                dgh[from + j] = dar;
                dgh[from + units + j] = daz;
                dgh[from + 2 * units + j] = dan * r;
            }
        }

        private static float sigmoid(float a) {
            return (float) (1 / (1 + Math.exp(-a)));
        }
    }
}
