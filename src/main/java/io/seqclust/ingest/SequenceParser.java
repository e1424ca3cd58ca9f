package io.seqclust.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bytes → {@link Sequence}, or the reason they are not one. Strict JSON only (no trailing data, no duplicate
 * keys, well-formed UTF-8, bounded nesting and number length, all refused while parsing), validated against
 * {@code schemas/sequence.schema.json}, plus the checks JSON Schema cannot express (equal row lengths,
 * finite values within range) and the service's limits. Thread-safe.
 */
public final class SequenceParser {

    static final String SCHEMA_RESOURCE = "schemas/sequence.schema.json";
    private static final JsonSchema SCHEMA = loadSchema();

    private final InputLimits limits;
    private final ObjectMapper json;

    public SequenceParser(InputLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.nestingDepth())
                        .maxNumberLength(InputLimits.MAX_NUMBER_CHARS)
                        .maxStringLength(limits.recordBytes())
                        .build())
                // NaN and Infinity tokens are read so that they get their own code, NON_FINITE, not BAD_JSON
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        this.json = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    public InputLimits limits() {
        return limits;
    }

    /** The value alone; {@link #parse(byte[], byte[])} also counts the key against the record limit. */
    public Sequence parse(byte[] bytes) throws InvalidSequenceException {
        return parse(null, bytes);
    }

    public Sequence parse(byte[] key, byte[] bytes) throws InvalidSequenceException {
        long size = (key == null ? 0L : key.length) + (bytes == null ? 0L : bytes.length);
        if (size > limits.recordBytes()) {
            throw new InvalidSequenceException(ErrorCode.TOO_LARGE, "the record's key and value are " + size
                    + " bytes, more than seqclust.limits.record-bytes = " + limits.recordBytes());
        }
        if (bytes == null || bytes.length == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected a JSON sequence object");
        }
        if (!wellFormedUtf8(bytes)) {
            throw new InvalidSequenceException(ErrorCode.BAD_JSON, "not valid JSON: malformed or overlong UTF-8");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new InvalidSequenceException(ErrorCode.BAD_JSON, "not accepted JSON: " + e.getOriginalMessage()
                    + " (seqclust.limits.nesting-depth = " + limits.nestingDepth() + ", numbers of at most "
                    + InputLimits.MAX_NUMBER_CHARS + " characters)");
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
        String id = node.get("id").asText();
        JsonNode source = node.get("source");
        String sourceText = source == null || source.isNull() ? null : source.asText();
        checkLength("id", id);
        checkLength("source", sourceText);
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull() && !timestamp.canConvertToLong()) {
            throw new InvalidSequenceException(ErrorCode.OUT_OF_RANGE,
                    "timestamp " + abbreviate(timestamp.asText()) + " is beyond a 64-bit integer of epoch milliseconds");
        }
        return new Sequence(id, sourceText,
                timestamp == null || timestamp.isNull() ? null : timestamp.asLong(),
                toMatrix(node.get("values")));
    }

    private void checkLength(String field, String text) throws InvalidSequenceException {
        if (text != null && text.length() > limits.idLength()) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, field + " has " + text.length()
                    + " characters, more than seqclust.limits.id-length = " + limits.idLength());
        }
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

    /** Jackson decodes UTF-8 leniently (overlong forms pass); the JDK's decoder does not. ASCII needs no check. */
    static boolean wellFormedUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
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
