package io.seqclust.model.layer;

import java.util.Arrays;
import java.util.Random;

/** A trainable tensor, flat and row-major, with its gradient accumulator. */
public final class Param {

    public final String name;
    public final double[] value;
    public final double[] grad;

    public Param(String name, int size) {
        this(name, new double[size], new double[size]);
    }

    private Param(String name, double[] value, double[] grad) {
        this.name = name;
        this.value = value;
        this.grad = grad;
    }

    /** The same values (not copied) with a gradient accumulator of its own, for another worker thread. */
    public Param replica() {
        return new Param(name, value, new double[value.length]);
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0);
    }

    /** He (Kaiming) normal initialisation for a layer with {@code fanIn} inputs. */
    public Param he(int fanIn, Random random) {
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < value.length; i++) {
            value[i] = sd * random.nextGaussian();
        }
        return this;
    }

    /** Uniform on [−bound, bound]: PyTorch's default for recurrent layers, with bound = 1/√hidden. */
    public Param uniform(double bound, Random random) {
        for (int i = 0; i < value.length; i++) {
            value[i] = bound * (2 * random.nextDouble() - 1);
        }
        return this;
    }

    public Param fill(double v) {
        Arrays.fill(value, v);
        return this;
    }
}
