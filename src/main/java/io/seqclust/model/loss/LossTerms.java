package io.seqclust.model.loss;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loss as its named terms, each already multiplied by its weight, so that the total is their sum and a
 * report can say what each contributes.
 */
public final class LossTerms {

    private final String[] names;
    private final double[] values;

    private LossTerms(String[] names, double[] values) {
        this.names = names;
        this.values = values;
    }

    /** @param namesAndValues name, value, name, value, … */
    public static LossTerms of(Object... namesAndValues) {
        int n = namesAndValues.length / 2;
        String[] names = new String[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            names[i] = (String) namesAndValues[2 * i];
            values[i] = ((Number) namesAndValues[2 * i + 1]).doubleValue();
        }
        return new LossTerms(names, values);
    }

    public double total() {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    public boolean isFinite() {
        return Double.isFinite(total());
    }

    /** Term by term: this plus other (the same terms, in the same order). */
    public LossTerms plus(LossTerms other) {
        if (!Arrays.equals(names, other.names)) {
            throw new IllegalArgumentException("cannot add losses of different terms: " + this + ", " + other);
        }
        double[] sum = values.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.values[i];
        }
        return new LossTerms(names, sum);
    }

    public LossTerms scaled(double factor) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return new LossTerms(names, out);
    }

    /** The terms by name, in order. */
    public Map<String, Double> terms() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], values[i]);
        }
        return out;
    }

    /**
     * How a progress line shows it: "loss 1.2345 (…)", or a lone term under its own name ("inertia 2702"), since the
     * models without gradient training report a step's own figure as their one term (minirocket a draw's components,
     * then the inertia of the partition it serves), which is no loss.
     */
    public String asFigure() {
        return names.length == 1 ? term(0) : "loss " + this;
    }

    private String term(int i) {
        return names[i] + " " + String.format("%.4g", values[i]);
    }

    /** "1.2345 (reconstruction 0.9, classification 0.3, kmeans 0.0345)". */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("%.4f", total()));
        if (names.length > 1) {
            s.append(" (");
            for (int i = 0; i < names.length; i++) {
                s.append(i == 0 ? "" : ", ").append(term(i));
            }
            s.append(')');
        }
        return s.toString();
    }
}
