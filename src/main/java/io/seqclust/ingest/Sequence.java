package io.seqclust.ingest;

/**
 * A decoded, valid sequence: {@code values[t][d]}, T >= 1 rows of the same D >= 1 finite values.
 *
 * @param source    may be null
 * @param timestamp epoch ms, null when the producer gave none
 */
public record Sequence(String id, String source, Long timestamp, double[][] values) {

    public int steps() {
        return values.length;
    }

    public int dims() {
        return values[0].length;
    }
}
