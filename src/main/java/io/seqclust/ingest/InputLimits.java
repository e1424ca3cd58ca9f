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

    /** @throws InvalidSequenceException TOO_LARGE when key and value together exceed {@link #recordBytes} */
    public void checkSize(byte[] key, byte[] value) throws InvalidSequenceException {
        long size = (key == null ? 0L : key.length) + (value == null ? 0L : value.length);
        if (size > recordBytes) {
            throw new InvalidSequenceException(ErrorCode.TOO_LARGE, "the record's key and value are " + size
                    + " bytes, more than seqclust.limits.record-bytes = " + recordBytes);
        }
    }

    /** @throws InvalidSequenceException SCHEMA when an id or source is longer than {@link #idLength} */
    public void checkLength(String field, String text) throws InvalidSequenceException {
        if (text != null && text.length() > idLength) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, field + " has " + text.length()
                    + " characters, more than seqclust.limits.id-length = " + idLength);
        }
    }
}
