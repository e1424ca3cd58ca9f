package io.seqclust.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

/**
 * Bytes → {@link Sequence}, or the reason they are not one. Strict JSON only ({@link StrictJson}), validated against
 * {@code schemas/sequence.schema.json}, plus the checks JSON Schema cannot express (equal row lengths,
 * finite values within range) and the service's limits. Thread-safe.
 */
public final class SequenceParser {

    static final String SCHEMA_RESOURCE = "schemas/sequence.schema.json";
    private static final JsonSchema SCHEMA = StrictJson.schema(SCHEMA_RESOURCE);

    private final InputLimits limits;
    private final StrictJson json;
    private final RecordFraming framing;
    private final String topic;

    /** Plain JSON records. */
    public SequenceParser(InputLimits limits) {
        this(limits, RecordFraming.NONE, null);
    }

    /** Records of {@code topic}, their JSON framed as {@code framing} says (a registry's frame, or none). */
    public SequenceParser(InputLimits limits, RecordFraming framing, String topic) {
        this.limits = limits;
        this.json = new StrictJson(limits);
        this.framing = framing;
        this.topic = topic;
    }

    public InputLimits limits() {
        return limits;
    }

    /** The value alone; {@link #parse(byte[], byte[])} also counts the key against the record limit. */
    public Sequence parse(byte[] bytes) throws InvalidSequenceException {
        return parse(null, bytes);
    }

    public Sequence parse(byte[] key, byte[] bytes) throws InvalidSequenceException {
        limits.checkSize(key, bytes);
        JsonNode node = json.read(bytes == null || bytes.length == 0 ? bytes : framing.payload(topic, bytes),
                "a JSON sequence object");
        checkValues(node.get("values"));
        StrictJson.validate(SCHEMA, node, "sequence.schema.json");
        String id = node.get("id").asText();
        JsonNode source = node.get("source");
        String sourceText = source == null || source.isNull() ? null : source.asText();
        limits.checkLength("id", id);
        limits.checkLength("source", sourceText);
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull() && !timestamp.canConvertToLong()) {
            throw new InvalidSequenceException(ErrorCode.OUT_OF_RANGE,
                    "timestamp " + abbreviate(timestamp.asText()) + " is beyond a 64-bit integer of epoch milliseconds");
        }
        return new Sequence(id, sourceText,
                timestamp == null || timestamp.isNull() ? null : timestamp.asLong(),
                toMatrix(node.get("values")));
    }

    /**
     * The checks with codes of their own. Shapes the schema rejects anyway (values not an array,
     * a row not an array, a value not a number) are left to it, so that they read as SCHEMA.
     */
    private void checkValues(JsonNode values) throws InvalidSequenceException {
        if (values == null || !values.isArray()) {
            return;
        }
        int steps = values.size();
        if (steps == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "values has no rows: a sequence needs T >= 1 time steps");
        }
        if (steps > limits.steps()) {
            throw new InvalidSequenceException(ErrorCode.TOO_LONG,
                    "values has " + steps + " time steps, more than seqclust.limits.steps = " + limits.steps());
        }
        int dims = -1;
        for (int t = 0; t < steps; t++) {
            JsonNode row = values.get(t);
            if (!row.isArray()) {
                return;
            }
            if (row.isEmpty()) {
                throw new InvalidSequenceException(ErrorCode.EMPTY, "row " + t + " of values has no values: D must be >= 1");
            }
            if (dims < 0) {
                dims = row.size();
                if (dims > limits.dims()) {
                    throw new InvalidSequenceException(ErrorCode.TOO_WIDE, "values has " + dims
                            + " values per step, more than seqclust.limits.dims = " + limits.dims());
                }
            } else if (row.size() != dims) {
                throw new InvalidSequenceException(ErrorCode.RAGGED,
                        "row " + t + " has " + row.size() + " values but row 0 has " + dims + ": every row needs the same D");
            }
            for (int d = 0; d < row.size(); d++) {
                JsonNode v = row.get(d);
                if (!v.isNumber()) {
                    continue;
                }
                double x = v.doubleValue();
                if (!Double.isFinite(x)) {
                    throw new InvalidSequenceException(ErrorCode.NON_FINITE,
                            "values[" + t + "][" + d + "] is " + v.asText() + ": only finite numbers are accepted");
                }
                if (Math.abs(x) > limits.maxAbsValue()) {
                    throw new InvalidSequenceException(ErrorCode.OUT_OF_RANGE, "values[" + t + "][" + d + "] is "
                            + x + ", beyond seqclust.limits.max-abs-value = " + limits.maxAbsValue());
                }
            }
        }
    }

    private static double[][] toMatrix(JsonNode values) {
        double[][] m = new double[values.size()][];
        for (int t = 0; t < m.length; t++) {
            JsonNode row = values.get(t);
            double[] r = new double[row.size()];
            for (int d = 0; d < r.length; d++) {
                r[d] = row.get(d).doubleValue();
            }
            m[t] = r;
        }
        return m;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
