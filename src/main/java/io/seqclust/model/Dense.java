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

    public List<Param> params() {
        return List.of(w, b);
    }

    public double[][] forward(double[][] x) {
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            Gru.affine(w.value, b.value, x[i], y[i], out, in);
        }
        return y;
    }

    /** Accumulates dW, db; returns dX. */
    public double[][] backward(double[][] x, double[][] dy) {
        double[][] dx = new double[x.length][in];
        for (int i = 0; i < x.length; i++) {
            Gru.outer(dy[i], x[i], w.grad, out, in);
            Gru.add(b.grad, dy[i]);
            Gru.transposedTimes(w.value, dy[i], dx[i], out, in);
        }
        return dx;
    }
}
