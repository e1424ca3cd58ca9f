package io.seqclust.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bytes → {@link Sequence}, or the reason they are not one. Validates against
 * {@code schemas/sequence.schema.json} and adds the checks JSON Schema cannot express (equal row
 * lengths, finite values) and the service's limit on length. Thread-safe.
 */
public final class SequenceParser {

    static final String SCHEMA_RESOURCE = "schemas/sequence.schema.json";

    // NaN and Infinity tokens are accepted by the parser so that they get their own code, NON_FINITE,
    // instead of a generic parse error
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final JsonSchema SCHEMA = loadSchema();

    private final int maxSteps;

    public SequenceParser(int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("seqclust.max-steps must be >= 1, was " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    public Sequence parse(byte[] bytes) throws InvalidSequenceException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected a JSON sequence object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidSequenceException(ErrorCode.BAD_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected a JSON sequence object");
        }
        checkValues(node.get("values"));
        Set<ValidationMessage> errors = SCHEMA.validate(node);
        if (!errors.isEmpty()) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, "does not match sequence.schema.json: "
                    + errors.stream().map(ValidationMessage::getMessage).sorted().limit(3)
                    .collect(Collectors.joining("; ")));
        }
        JsonNode source = node.get("source");
        JsonNode timestamp = node.get("timestamp");
        return new Sequence(node.get("id").asText(),
                source == null || source.isNull() ? null : source.asText(),
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
        if (steps > maxSteps) {
            throw new InvalidSequenceException(ErrorCode.TOO_LONG,
                    "values has " + steps + " time steps, more than seqclust.max-steps = " + maxSteps);
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
            } else if (row.size() != dims) {
                throw new InvalidSequenceException(ErrorCode.RAGGED,
                        "row " + t + " has " + row.size() + " values but row 0 has " + dims + ": every row needs the same D");
            }
            for (int d = 0; d < row.size(); d++) {
                JsonNode v = row.get(d);
                if (v.isNumber() && !Double.isFinite(v.doubleValue())) {
                    throw new InvalidSequenceException(ErrorCode.NON_FINITE,
                            "values[" + t + "][" + d + "] is " + v.asText() + ": only finite numbers are accepted");
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

    private static JsonSchema loadSchema() {
        try (InputStream in = SequenceParser.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
