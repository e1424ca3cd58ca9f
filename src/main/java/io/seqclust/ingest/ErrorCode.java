package io.seqclust.ingest;

/** Why a record was rejected; the value of the {@code seqclust.error.code} dead-letter header. */
public enum ErrorCode {
    /** Not parseable as JSON. */
    BAD_JSON,
    /** Valid JSON that does not match {@code schemas/sequence.schema.json}. */
    SCHEMA,
    /** An empty record, no rows, or a row with no values. */
    EMPTY,
    /** Rows of different lengths. */
    RAGGED,
    /** NaN or an infinite value. */
    NON_FINITE,
    /** More time steps than {@code seqclust.max-steps}. */
    TOO_LONG,
    /** A number of dimensions other than the serving model's. */
    DIM_MISMATCH
}
