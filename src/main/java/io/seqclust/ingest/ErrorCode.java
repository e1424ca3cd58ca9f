package io.seqclust.ingest;

/** Why a record was rejected; the value of the {@code seqclust.error.code} dead-letter header. */
public enum ErrorCode {
    /** Not parseable as strict JSON: a syntax error, trailing data, a duplicate key, invalid UTF-8, too deep. */
    BAD_JSON,
    /**
     * Valid JSON that does not match {@code schemas/sequence.schema.json} or {@code audio.schema.json} (an id or
     * source too long included); an audio record without a key (its sequence id).
     */
    SCHEMA,
    /** A registry frame (magic byte 0 and a schema id) naming a schema the configured registry does not hold. */
    SCHEMA_UNKNOWN,
    /** A registry frame naming a schema that the registry finds incompatible (FORWARD) with seqclust's own. */
    SCHEMA_INCOMPATIBLE,
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
    /** More time steps than {@code seqclust.limits.steps}; a clip longer than {@code seqclust.audio.max-seconds}. */
    TOO_LONG,
    /** More values per step than {@code seqclust.limits.dims}. */
    TOO_WIDE,
    /** A number of dimensions other than the serving model's. */
    DIM_MISMATCH,
    /** An audio record that is neither a 16-bit PCM mono WAV file nor a JSON audio object (audio.schema.json). */
    NOT_AUDIO,
    /** Audio at a sample rate outside {@code seqclust.audio.min-rate .. max-rate}. */
    AUDIO_RATE,
    /** Audio whose data ends before its header says (or an odd number of bytes of 16-bit samples). */
    TRUNCATED,
    /** Audio whose loudest frame is below {@code seqclust.audio.silence-db}: nothing to cluster. */
    SILENT,
    /** The model gave a non-finite probability or confidence for this record. */
    MODEL_OUTPUT,
    /** The record's assignment would be larger than {@code seqclust.limits.record-bytes} (a model of very many clusters). */
    OUTPUT_TOO_LARGE,
    /** An unexpected error while processing this record; the stream goes on with the next one. */
    INTERNAL
}
