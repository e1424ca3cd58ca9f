package io.seqclust.model;

import java.util.List;
import java.util.Random;

/** Fully connected layer on a batch: Y = X Wᵀ + b, X n × in, W out × in. */
public final class Dense {

    public final int in;
    public final int out;
    public final Param w;
    public final Param b;

    public Dense(String name, int in, int out, Random random) {
        this.in = in;
        this.out = out;
        w = new Param(name + ".w", out * in).he(in, random);
        b = new Param(name + ".b", out);
    }

    private Dense(Dense master) {
        in = master.in;
        out = master.out;
        w = master.w.sharingValue();
        b = master.b.sharingValue();
    }

    /** A layer sharing this one's weights, with gradient accumulators of its own (for another thread). */
    Dense replica() {
        return new Dense(this);
    }

    public List<Param> params() {
        return List.of(w, b);
    }

    public double[] forward(double[] x) {
        double[] y = new double[out];
        Gru.affine(w.value, b.value, x, y, out, in);
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
        Gru.outer(dy, x, w.grad, out, in);
        Gru.add(b.grad, dy);
        Gru.transposedTimes(w.value, dy, dxAcc, out, in);
    }
}
