package io.seqclust.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;

/**
 * Bytes → {@link Sequence}, or the reason they are not one. Strict JSON only ({@link StrictJson}), validated against
 * {@code schemas/sequence.schema.json}, plus the checks JSON Schema cannot express (equal row lengths,
 * finite values within range) and the service's limits. Thread-safe.
 */
public final class SequenceParser {

    static final String SCHEMA_RESOURCE = "schemas/sequence.schema.json";
    private static final JsonSchema SCHEMA = StrictJson.schema(SCHEMA_RESOURCE);
    private static final JsonNode VALUES_STAND_IN = JsonNodeFactory.instance.arrayNode()
            .add(JsonNodeFactory.instance.arrayNode().add(0));
    private static final String VALUES_STAND_IN_JSON = VALUES_STAND_IN.toString();

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
        byte[] payload = bytes == null || bytes.length == 0 ? bytes : framing.payload(topic, bytes);
        Sequence common = commonRecord(payload);
        return common != null ? common : wholeRecord(payload);
    }

    /** The whole way through any record: the tree of all of it, then the checks. */
    Sequence wholeRecord(byte[] payload) throws InvalidSequenceException {
        JsonNode node = json.read(payload, "a JSON sequence object");
        double[][] values = checkValues(node.get("values"));
        // rows that checkValues read whole meet the schema's values clause (arrays of >= 1 numbers, >= 1 rows;
        // SequenceParserTest pins that clause): the schema then checks a one-value stand-in for them, not their
        // thousands of numbers again
        StrictJson.validate(SCHEMA, values == null ? node : withValuesStandIn((ObjectNode) node), "sequence.schema.json");
        if (values == null) {
            throw new IllegalStateException("sequence.schema.json accepted values that are not rows of numbers: "
                    + "SequenceParser.checkValues must learn the schema's new values clause");
        }
        return sequence(node, values);
    }

    /**
     * The fast way through a record that is all it should be: its values read straight from the bytes, the rest as
     * a tree with the stand-in in their place. Null for any other record, which {@link #parse} then reads the whole
     * way, so that every refusal and its message are the whole way's (and a refused record costs both ways).
     */
    Sequence commonRecord(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        StrictJson.WithRows read = json.readRows(payload, "values", VALUES_STAND_IN_JSON);
        if (read == null || !withinLimits(read.rows())) {
            return null;
        }
        try {
            StrictJson.validate(SCHEMA, read.node(), "sequence.schema.json");
            return sequence(read.node(), read.rows());
        } catch (InvalidSequenceException e) {
            return null;
        }
    }

    /** Whether {@link #checkValues} would pass these rows (read as rows of numbers, so only its limits are left). */
    private boolean withinLimits(double[][] rows) {
        if (rows.length > limits.steps() || rows[0].length > limits.dims()) {
            return false;
        }
        for (double[] row : rows) {
            if (row.length != rows[0].length) {
                return false;
            }
            for (double x : row) {
                if (!Double.isFinite(x) || Math.abs(x) > limits.maxAbsValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Sequence sequence(JsonNode node, double[][] values) throws InvalidSequenceException {
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
        return new Sequence(id, sourceText, timestamp == null || timestamp.isNull() ? null : timestamp.asLong(), values);
    }

    /**
     * The checks with codes of their own, and the rows as a matrix. Shapes the schema rejects anyway (values not
     * an array, a row not an array, a value not a number) are left to it, so that they read as SCHEMA.
     *
     * @return the rows, or null where their shape is the schema's to judge
     */
    private double[][] checkValues(JsonNode values) throws InvalidSequenceException {
        if (values == null || !values.isArray()) {
            return null;
        }
        int steps = values.size();
        if (steps == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "values has no rows: a sequence needs T >= 1 time steps");
        }
        if (steps > limits.steps()) {
            throw new InvalidSequenceException(ErrorCode.TOO_LONG,
                    "values has " + steps + " time steps, more than seqclust.limits.steps = " + limits.steps());
        }
        double[][] m = new double[steps][];
        boolean numbers = true;
        int dims = -1;
        for (int t = 0; t < steps; t++) {
            JsonNode row = values.get(t);
            if (!row.isArray()) {
                return null;
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
            m[t] = new double[dims];
            for (int d = 0; d < dims; d++) {
                JsonNode v = row.get(d);
                if (!v.isNumber()) {
                    numbers = false;
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
                m[t][d] = x;
            }
        }
        return numbers ? m : null;
    }

    /** The record with its values replaced by {@code [[0]]}: shallow, the record itself untouched. */
    private static ObjectNode withValuesStandIn(ObjectNode node) {
        ObjectNode copy = node.objectNode();
        copy.setAll(node);
        copy.set("values", VALUES_STAND_IN);
        return copy;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
