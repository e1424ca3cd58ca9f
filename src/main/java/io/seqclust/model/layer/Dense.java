package io.seqclust.model.layer;

import java.util.List;
import java.util.Random;

/** Fully connected layer on a batch: Y = X Wᵀ + b, X n × in, W out × in. */
public final class Dense {

    public final int in;
    public final int out;
    public final Param w;
    public final Param b;

    /** What serving keeps of a trained layer. */
    public record Weights(int in, int out, double[] w, double[] b) {

        public Weights {
            if (w.length != in * out || b.length != out) {
                throw new IllegalArgumentException("dense weights do not fit " + in + " inputs and " + out + " outputs");
            }
        }
    }

    public Dense(String name, int in, int out, Random random) {
        this.in = in;
        this.out = out;
        w = new Param(name + ".w", out * in).he(in, random);
        b = new Param(name + ".b", out);
    }

    private Dense(Dense master) {
        in = master.in;
        out = master.out;
        w = master.w.replica();
        b = master.b.replica();
    }

    /** A layer sharing this one's weights, with gradient accumulators of its own (for another thread). */
    public Dense replica() {
        return new Dense(this);
    }

    public List<Param> params() {
        return List.of(w, b);
    }

    /** The weights as they are now, copied. */
    public Weights snapshot() {
        return new Weights(in, out, w.value.clone(), b.value.clone());
    }

    public double[] forward(double[] x) {
        double[] y = new double[out];
        Kernels.affine(w.value, b.value, x, y, out, in);
        return y;
    }

    public double[][] forward(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = forward(x[i]);
        }
        return y;
    }

    /** Accumulates dW, db; returns dX. */
    public double[][] backward(double[][] x, double[][] dy) {
        double[][] dx = new double[x.length][in];
        for (int i = 0; i < x.length; i++) {
            backward(x[i], dy[i], dx[i]);
        }
        return dx;
    }

    /** One row: accumulates dW, db; adds dx into {@code dxAcc}. */
    public void backward(double[] x, double[] dy, double[] dxAcc) {
        Kernels.outer(dy, x, w.grad, out, in);
        Kernels.add(b.grad, dy);
        Kernels.transposedTimes(w.value, dy, dxAcc, out, in);
    }
}
