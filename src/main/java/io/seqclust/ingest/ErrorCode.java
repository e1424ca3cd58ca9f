package io.seqclust.ingest;

/** Why a record was rejected; the value of the {@code seqclust.error.code} dead-letter header. */
public enum ErrorCode {
    /** Not parseable as strict JSON: a syntax error, trailing data, a duplicate key, invalid UTF-8, too deep. */
    BAD_JSON,
    /** Valid JSON that does not match {@code schemas/sequence.schema.json} (an id or source too long included). */
    SCHEMA,
    /** An empty record, no rows, or a row with no values. */
    EMPTY,
    /** Rows of different lengths. */
    RAGGED,
    /** NaN or an infinite value. */
    NON_FINITE,
    /** A value beyond {@code seqclust.limits.max-abs-value}, or a timestamp beyond a 64-bit integer. */
    OUT_OF_RANGE,
    /** Key and value together over {@code seqclust.limits.record-bytes}. */
    TOO_LARGE,
    /** More time steps than {@code seqclust.limits.steps}. */
    TOO_LONG,
    /** More values per step than {@code seqclust.limits.dims}. */
    TOO_WIDE,
    /** A number of dimensions other than the serving model's. */
    DIM_MISMATCH,
    /** The model gave a non-finite probability or confidence for this record. */
    MODEL_OUTPUT,
    /** The record's assignment would be larger than {@code seqclust.limits.record-bytes} (a model of very many clusters). */
    OUTPUT_TOO_LARGE,
    /** An unexpected error while processing this record; the stream goes on with the next one. */
    INTERNAL
}
