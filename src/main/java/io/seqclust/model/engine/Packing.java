package io.seqclust.model.engine;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A batch of sequences of different lengths packed by time step, as PyTorch's packed sequences: the
 * sequences sorted by length (longest first, ties in batch order), step s holding one row for each
 * sequence longer than s — a prefix of the sorted order, so the rows of step s are
 * {@code offsets[s] .. offsets[s + 1] − 1}, row {@code offsets[s] + j} belonging to the j-th longest
 * sequence. No row is padding.
 *
 * @param order   the batch index of the j-th longest sequence
 * @param lengths the length of the j-th longest sequence
 * @param offsets the first row of each step, and the row count last
 * @param reverse for each row (step t of sequence j), the row of step {@code length − 1 − t} of the same
 *                sequence: where a pass that reads the sequence backwards finds its input
 */
record Packing(int[] order, int[] lengths, int[] offsets, int[] reverse) {

    static Packing of(List<double[][]> batch) {
        int n = batch.size();
        int[] order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> batch.get(i).length).reversed())
                .mapToInt(Integer::intValue).toArray();
        int[] lengths = new int[n];
        for (int j = 0; j < n; j++) {
            lengths[j] = batch.get(order[j]).length;
            if (lengths[j] == 0) {
                throw new IllegalArgumentException("an empty sequence in the batch (batch index " + order[j] + ")");
            }
        }
        int steps = lengths[0];
        int[] offsets = new int[steps + 1];
        int running = n;
        for (int s = 0; s < steps; s++) {
            while (lengths[running - 1] <= s) {
                running--;
            }
            offsets[s + 1] = offsets[s] + running;
        }
        int[] reverse = new int[offsets[steps]];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < offsets[s + 1] - offsets[s]; j++) {
                reverse[offsets[s] + j] = offsets[lengths[j] - 1 - s] + j;
            }
        }
        return new Packing(order, lengths, offsets, reverse);
    }

    int rows() {
        return offsets[offsets.length - 1];
    }

    int steps() {
        return offsets.length - 1;
    }

    int size() {
        return order.length;
    }

    /** The sequences still running at step s. */
    int running(int s) {
        return offsets[s + 1] - offsets[s];
    }

    /** The row of the last step of the j-th longest sequence. */
    int lastRow(int j) {
        return offsets[lengths[j] - 1] + j;
    }

    /**
     * For each row, the row of the state it reads under the dilation (step s − d of its sequence), or, for a
     * step before the dilation, −1 − j: the initial state of the j-th longest sequence.
     */
    int[] previous(int dilation) {
        int[] prev = new int[rows()];
        for (int s = 0; s < steps(); s++) {
            for (int j = 0; j < running(s); j++) {
                prev[offsets[s] + j] = s - dilation >= 0 ? offsets[s - dilation] + j : -1 - j;
            }
        }
        return prev;
    }

    /** The batch's values as rows of {@code dims} floats, row by row. */
    float[] values(List<double[][]> batch, int dims) {
        float[] x = new float[rows() * dims];
        for (int s = 0; s < steps(); s++) {
            for (int j = 0; j < running(s); j++) {
                double[] v = batch.get(order[j])[s];
                int at = (offsets[s] + j) * dims;
                for (int c = 0; c < dims; c++) {
                    x[at + c] = (float) v[c];
                }
            }
        }
        return x;
    }
}
