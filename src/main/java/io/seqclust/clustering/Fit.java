package io.seqclust.clustering;

import java.util.List;

/**
 * What training produced: the servable model, the cluster of every sequence of the window, the loss of
 * what was chosen, and — for reports only, never to choose — the alternatives it chose among.
 */
public record Fit(Assigner assigner, int[] labels, double loss, List<Candidate> candidates) {

    /** One alternative (a restart, a selection rule) with its loss (NaN when it has none) and labels (null when it diverged). */
    public record Candidate(String name, double loss, int[] labels) {
    }
}
