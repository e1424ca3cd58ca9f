package io.seqclust.model.loss;

/** The mean cross-entropy of softmax outputs against class labels, and its gradient with respect to the logits. */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    /** @param dLogits receives ∂L/∂(logits) of each row (n × classes) */
    public static double of(double[][] p, int[] labels, double[][] dLogits) {
        int n = p.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss -= Math.log(Math.max(p[i][labels[i]], 1e-300)) / n;
            for (int c = 0; c < p[i].length; c++) {
                dLogits[i][c] = (p[i][c] - (labels[i] == c ? 1 : 0)) / n;
            }
        }
        return loss;
    }
}
