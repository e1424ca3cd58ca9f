package io.seqclust.model;

/** A trainable tensor, flat and row-major, with its gradient accumulator. */
public final class Param {

    public final String name;
    public final double[] value;
    public final double[] grad;

    public Param(String name, int size) {
        this.name = name;
        this.value = new double[size];
        this.grad = new double[size];
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grad, 0);
    }

    /** He (Kaiming) normal initialisation for a layer with {@code fanIn} inputs. */
    public Param he(int fanIn, java.util.Random random) {
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < value.length; i++) {
            value[i] = sd * random.nextGaussian();
        }
        return this;
    }

    public Param fill(double v) {
        java.util.Arrays.fill(value, v);
        return this;
    }
}
