package io.seqclust.ingest;

/**
 * What one input record may hold (the {@code seqclust.limits.*} settings).
 *
 * @param recordBytes  key and value together
 * @param steps        time steps T
 * @param dims         values per step D
 * @param idLength     characters of the id and of the source
 * @param maxAbsValue  largest magnitude of a value
 * @param nestingDepth deepest JSON nesting
 * @param headerBytes  input headers carried onto outputs, in all
 */
public record InputLimits(int recordBytes, int steps, int dims, int idLength, double maxAbsValue, int nestingDepth,
                          int headerBytes) {

    /** Longest number literal read: far more digits than a double or a long carries, far fewer than a bomb. */
    static final int MAX_NUMBER_CHARS = 64;

    public InputLimits {
        if (recordBytes < 1 || steps < 1 || dims < 1 || idLength < 1 || !(maxAbsValue > 0) || nestingDepth < 3 || headerBytes < 0) {
            throw new IllegalArgumentException("input limits must be positive (and nesting-depth >= 3): " + this);
        }
    }
}
