package io.seqclust.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** An epoch's batches: the data shuffled and cut; a last batch too small for the loss is dropped. */
public final class Batches {

    private Batches() {
    }

    /**
     * @param minSize the fewest sequences a loss can use (RDDC's and DTCR's need more than k); a smaller
     *                last batch is dropped, unless it is the only one
     */
    public static List<List<double[][]>> shuffled(List<double[][]> data, int batchSize, int minSize, Random random) {
        List<double[][]> shuffled = new ArrayList<>(data);
        Collections.shuffle(shuffled, random);
        List<List<double[][]>> out = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += batchSize) {
            List<double[][]> b = shuffled.subList(from, Math.min(shuffled.size(), from + batchSize));
            if (b.size() >= minSize || out.isEmpty()) {
                out.add(b);
            }
        }
        return out;
    }

    /** How many batches {@link #shuffled} makes of n sequences. */
    public static int count(int n, int batchSize, int minSize) {
        int full = n / batchSize;
        int last = n % batchSize;
        return full == 0 ? 1 : full + (last >= minSize ? 1 : 0);
    }
}
