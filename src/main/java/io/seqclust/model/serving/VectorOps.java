package io.seqclust.model.serving;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link FloatOps} by the Vector API, the machine's widest float vectors. Loaded only when the module is present. */
final class VectorOps implements FloatOps {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
    private static final FloatVector HALF = FloatVector.broadcast(SPECIES, 0.5f);
    private static final float TANH_CLAMP = 7.90531110763549805f;
    // tanh(x) ≈ x p(x²) / q(x²) on the clamp's interval (Eigen's coefficients)
    private static final FloatVector P13 = FloatVector.broadcast(SPECIES, -2.76076847742355e-16f);
    private static final FloatVector P11 = FloatVector.broadcast(SPECIES, 2.00018790482477e-13f);
    private static final FloatVector P9 = FloatVector.broadcast(SPECIES, -8.60467152213735e-11f);
    private static final FloatVector P7 = FloatVector.broadcast(SPECIES, 5.12229709037114e-08f);
    private static final FloatVector P5 = FloatVector.broadcast(SPECIES, 1.48572235717979e-05f);
    private static final FloatVector P3 = FloatVector.broadcast(SPECIES, 6.37261928875436e-04f);
    private static final FloatVector P1 = FloatVector.broadcast(SPECIES, 4.89352455891786e-03f);
    private static final FloatVector Q6 = FloatVector.broadcast(SPECIES, 1.19825839466702e-06f);
    private static final FloatVector Q4 = FloatVector.broadcast(SPECIES, 1.18534705686654e-04f);
    private static final FloatVector Q2 = FloatVector.broadcast(SPECIES, 2.26843463243900e-03f);
    private static final FloatVector Q0 = FloatVector.broadcast(SPECIES, 4.89352518554385e-03f);

    @Override
    public int width() {
        return WIDTH;
    }

    /**
     * Four rows of C by three vectors at a time (twelve accumulators), then by two, then one: each B vector loaded
     * once for the four rows and each A value broadcast once for the vectors (measured on the packed engine's shapes,
     * 100 rows: 2.0–3.4x the GFLOP/s of a row at a time by eight rows of B per pass over the row of C, the kernel
     * before, with one vector per pass; two per pass
     * took rddc's batched serving encoder from 108 to 88 µs per sequence, T = 100, D = 12, 32 per batch; three, the
     * width of a GRU's gates of 32 units on 16 lanes, gave 0–10 % more GFLOP/s on the serving encoder's products:
     * 8 or 32 rows, k 12–64, n 96, AVX-512). Each element's FMAs run over q in order, so a row comes out the same to the bit
     * in any tile. Rows past the last multiple of four go one at a time. Each tile is written out: vectors
     * kept in arrays or passed to a shared helper are boxed by JDK 17's compiler.
     */
    @Override
    public void multiply(float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c, int cFrom, int cStride,
                         int n) {
        multiply(c, cFrom, cStride, a, aFrom, aStride, m, k, b, bFrom, c, cFrom, cStride, n);
    }

    @Override
    public void multiplyFrom(float[] bias, float[] a, int aFrom, int aStride, int m, int k, float[] b, int bFrom, float[] c,
                             int cFrom, int cStride, int n) {
        multiply(bias, 0, 0, a, aFrom, aStride, m, k, b, bFrom, c, cFrom, cStride, n);
    }

    /**
     * C = S + A B, row i of S from {@code sFrom + i * sStride} in s: C itself for {@link #multiply}, the bias (stride 0)
     * for {@link #multiplyFrom}. Which it is comes in the arguments rather than by a branch, so that the training
     * engine's calls and the serving encoder's run the same compiled loop.
     */
    private static void multiply(float[] s, int sFrom, int sStride, float[] a, int aFrom, int aStride, int m, int k, float[] b,
                                 int bFrom, float[] c, int cFrom, int cStride, int n) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            fourRows(s, sFrom + i * sStride, sStride, a, aFrom + i * aStride, aStride, k, b, bFrom, c, cFrom + i * cStride, cStride, n);
        }
        for (; i < m; i++) {
            oneRow(s, sFrom + i * sStride, a, aFrom + i * aStride, k, b, bFrom, c, cFrom + i * cStride, n);
        }
    }

    /** Four rows of C, from row 0 of each argument's offset. */
    private static void fourRows(float[] s, int sFrom, int sStride, float[] a, int aFrom, int aStride, int k, float[] b, int bFrom,
                                 float[] c, int cFrom, int cStride, int n) {
        int a0 = aFrom;
        int a1 = a0 + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        int c0 = cFrom;
        int c1 = c0 + cStride;
        int c2 = c1 + cStride;
        int c3 = c2 + cStride;
        int from0 = sFrom;
        int from1 = from0 + sStride;
        int from2 = from1 + sStride;
        int from3 = from2 + sStride;
        int j = 0;
        for (; j + 3 * WIDTH <= n; j += 3 * WIDTH) {
            int j1 = j + WIDTH;
            int j2 = j1 + WIDTH;
            FloatVector s0 = FloatVector.fromArray(SPECIES, s, from0 + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, s, from1 + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, s, from2 + j);
            FloatVector s3 = FloatVector.fromArray(SPECIES, s, from3 + j);
            FloatVector t0 = FloatVector.fromArray(SPECIES, s, from0 + j1);
            FloatVector t1 = FloatVector.fromArray(SPECIES, s, from1 + j1);
            FloatVector t2 = FloatVector.fromArray(SPECIES, s, from2 + j1);
            FloatVector t3 = FloatVector.fromArray(SPECIES, s, from3 + j1);
            FloatVector u0 = FloatVector.fromArray(SPECIES, s, from0 + j2);
            FloatVector u1 = FloatVector.fromArray(SPECIES, s, from1 + j2);
            FloatVector u2 = FloatVector.fromArray(SPECIES, s, from2 + j2);
            FloatVector u3 = FloatVector.fromArray(SPECIES, s, from3 + j2);
            for (int q = 0; q < k; q++) {
                FloatVector w = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j);
                FloatVector v = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j1);
                FloatVector y = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j2);
                FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + q]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + q]);
                FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + q]);
                FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + q]);
                s0 = w.fma(x0, s0);
                s1 = w.fma(x1, s1);
                s2 = w.fma(x2, s2);
                s3 = w.fma(x3, s3);
                t0 = v.fma(x0, t0);
                t1 = v.fma(x1, t1);
                t2 = v.fma(x2, t2);
                t3 = v.fma(x3, t3);
                u0 = y.fma(x0, u0);
                u1 = y.fma(x1, u1);
                u2 = y.fma(x2, u2);
                u3 = y.fma(x3, u3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
            t0.intoArray(c, c0 + j1);
            t1.intoArray(c, c1 + j1);
            t2.intoArray(c, c2 + j1);
            t3.intoArray(c, c3 + j1);
            u0.intoArray(c, c0 + j2);
            u1.intoArray(c, c1 + j2);
            u2.intoArray(c, c2 + j2);
            u3.intoArray(c, c3 + j2);
        }
        for (; j + 2 * WIDTH <= n; j += 2 * WIDTH) {
            int j1 = j + WIDTH;
            FloatVector s0 = FloatVector.fromArray(SPECIES, s, from0 + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, s, from1 + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, s, from2 + j);
            FloatVector s3 = FloatVector.fromArray(SPECIES, s, from3 + j);
            FloatVector t0 = FloatVector.fromArray(SPECIES, s, from0 + j1);
            FloatVector t1 = FloatVector.fromArray(SPECIES, s, from1 + j1);
            FloatVector t2 = FloatVector.fromArray(SPECIES, s, from2 + j1);
            FloatVector t3 = FloatVector.fromArray(SPECIES, s, from3 + j1);
            for (int q = 0; q < k; q++) {
                FloatVector w = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j);
                FloatVector v = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j1);
                FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + q]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + q]);
                FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + q]);
                FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + q]);
                s0 = w.fma(x0, s0);
                s1 = w.fma(x1, s1);
                s2 = w.fma(x2, s2);
                s3 = w.fma(x3, s3);
                t0 = v.fma(x0, t0);
                t1 = v.fma(x1, t1);
                t2 = v.fma(x2, t2);
                t3 = v.fma(x3, t3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
            t0.intoArray(c, c0 + j1);
            t1.intoArray(c, c1 + j1);
            t2.intoArray(c, c2 + j1);
            t3.intoArray(c, c3 + j1);
        }
        for (; j < n; j += WIDTH) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, s, from0 + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, s, from1 + j);
            FloatVector s2 = FloatVector.fromArray(SPECIES, s, from2 + j);
            FloatVector s3 = FloatVector.fromArray(SPECIES, s, from3 + j);
            for (int q = 0; q < k; q++) {
                FloatVector w = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j);
                s0 = w.fma(FloatVector.broadcast(SPECIES, a[a0 + q]), s0);
                s1 = w.fma(FloatVector.broadcast(SPECIES, a[a1 + q]), s1);
                s2 = w.fma(FloatVector.broadcast(SPECIES, a[a2 + q]), s2);
                s3 = w.fma(FloatVector.broadcast(SPECIES, a[a3 + q]), s3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
        }
    }

    /**
     * One row of C, by three vectors at a time, then one: a light load's batches are single records, and a vector at
     * a time left each FMA waiting for the one before it. Its own method, compiled on its own: inside the four-row
     * one, a path that batches of 16 never took was left to the interpreter until a light load came (the Vector
     * API's operations, not compiled, allocate a vector each: about 1.7 MB per record of rddc, a young collection
     * every 3 s at 500 records/s, {@code bench --online} with {@code -Xlog:gc}).
     */
    private static void oneRow(float[] s, int from0, float[] a, int a0, int k, float[] b, int bFrom, float[] c, int c0, int n) {
        int j = 0;
        for (; j + 3 * WIDTH <= n; j += 3 * WIDTH) {
            int j1 = j + WIDTH;
            int j2 = j1 + WIDTH;
            FloatVector s0 = FloatVector.fromArray(SPECIES, s, from0 + j);
            FloatVector t0 = FloatVector.fromArray(SPECIES, s, from0 + j1);
            FloatVector u0 = FloatVector.fromArray(SPECIES, s, from0 + j2);
            for (int q = 0; q < k; q++) {
                FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + q]);
                s0 = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j).fma(x0, s0);
                t0 = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j1).fma(x0, t0);
                u0 = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j2).fma(x0, u0);
            }
            s0.intoArray(c, c0 + j);
            t0.intoArray(c, c0 + j1);
            u0.intoArray(c, c0 + j2);
        }
        for (; j < n; j += WIDTH) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, s, from0 + j);
            for (int q = 0; q < k; q++) {
                s0 = FloatVector.fromArray(SPECIES, b, bFrom + q * n + j).fma(FloatVector.broadcast(SPECIES, a[a0 + q]), s0);
            }
            s0.intoArray(c, c0 + j);
        }
    }

    @Override
    public void gruGates(int rows, float[] gx, float[] gh, int from, float[] prev, int prevFrom, int prevStride, float[] gates,
                         float[] h, int hFrom, int units) {
        for (int b = 0; b < rows; b++) {
            int g0 = from + 3 * b * units;
            // r and z in one loop and n in another, one call of tanh in each: with five calls in one loop, the compiler
            // (JDK 17) stopped inlining them, and vectors passed out of line are boxed
            for (int j = 0; j < 2 * units; j += WIDTH) {
                sigmoid(FloatVector.fromArray(SPECIES, gx, g0 + j).add(FloatVector.fromArray(SPECIES, gh, g0 + j)))
                        .intoArray(gates, g0 + j);
            }
            int p0 = prevFrom + b * prevStride;
            int h0 = hFrom + b * units;
            for (int j = 0; j < units; j += WIDTH) {
                int n0 = g0 + 2 * units + j;
                FloatVector r = FloatVector.fromArray(SPECIES, gates, g0 + j);
                FloatVector z = FloatVector.fromArray(SPECIES, gates, g0 + units + j);
                FloatVector n = tanh(FloatVector.fromArray(SPECIES, gh, n0).fma(r, FloatVector.fromArray(SPECIES, gx, n0)));
                n.intoArray(gates, n0);
                FloatVector p = FloatVector.fromArray(SPECIES, prev, p0 + j);
                n.add(z.mul(p.sub(n))).intoArray(h, h0 + j);
            }
        }
    }

    @Override
    public void gruBackward(float[] gates, float[] gh, int from, float[] prev, int prevFrom, float[] dh, int dhFrom,
                            float[] dPrev, int dPrevFrom, float[] dgx, float[] dgh, int units) {
        for (int j = 0; j < units; j += WIDTH) {
            int r0 = from + j;
            int z0 = r0 + units;
            int n0 = z0 + units;
            FloatVector r = FloatVector.fromArray(SPECIES, gates, r0);
            FloatVector z = FloatVector.fromArray(SPECIES, gates, z0);
            FloatVector n = FloatVector.fromArray(SPECIES, gates, n0);
            FloatVector d = FloatVector.fromArray(SPECIES, dh, dhFrom + j);
            FloatVector dan = d.mul(ONE.sub(z)).mul(ONE.sub(n.mul(n)));
            FloatVector dar = dan.mul(FloatVector.fromArray(SPECIES, gh, n0)).mul(r).mul(ONE.sub(r));
            FloatVector daz = d.mul(FloatVector.fromArray(SPECIES, prev, prevFrom + j).sub(n)).mul(z).mul(ONE.sub(z));
            d.fma(z, FloatVector.fromArray(SPECIES, dPrev, dPrevFrom + j)).intoArray(dPrev, dPrevFrom + j);
            dar.intoArray(dgx, r0);
            daz.intoArray(dgx, z0);
            dan.intoArray(dgx, n0);
            dar.intoArray(dgh, r0);
            daz.intoArray(dgh, z0);
            dan.mul(r).intoArray(dgh, n0);
        }
    }

    /** σ(a) = (1 + tanh(a / 2)) / 2, by {@link #tanh}: within 2e-7 of σ. */
    static FloatVector sigmoid(FloatVector a) {
        return tanh(a.mul(HALF)).fma(HALF, HALF);
    }

    /**
     * tanh by a rational function of degree 13 / 6 on [−7.9, 7.9] (Eigen's float tanh; outside, within 3e-7 of ±1):
     * within 4e-7 of tanh everywhere ({@code VectorOpsTest}). The Vector API's TANH and EXP cost about 200 cycles per
     * 16 lanes here (JDK 17, AVX-512), which made the GRU gates a third of rddc's serving pass; this is a dozen FMAs
     * and a division.
     */
    static FloatVector tanh(FloatVector a) {
        FloatVector x = a.max(-TANH_CLAMP).min(TANH_CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(P13, P11).fma(x2, P9).fma(x2, P7).fma(x2, P5).fma(x2, P3).fma(x2, P1);
        FloatVector q = x2.fma(Q6, Q4).fma(x2, Q2).fma(x2, Q0);
        return x.mul(p).div(q);
    }
}
