package io.seqclust.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * Strict JSON reading of input records (no trailing data, no duplicate keys, well-formed UTF-8, bounded
 * nesting and number length, all refused while parsing, as BAD_JSON) and their validation against a schema
 * of {@code schemas/} (as SCHEMA). Thread-safe.
 */
public final class StrictJson {

    private final InputLimits limits;
    private final ObjectMapper json;

    public StrictJson(InputLimits limits) {
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

    /** @param what what the record should be, for the messages ("a JSON sequence object") */
    public JsonNode read(byte[] bytes, String what) throws InvalidSequenceException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected " + what);
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
            throw new InvalidSequenceException(ErrorCode.EMPTY, "empty record: expected " + what);
        }
        return node;
    }

    /** A record read with one of its arrays as rows of numbers. */
    public record WithRows(JsonNode node, double[][] rows) {
    }

    /**
     * The record as {@link #read} reads it, but with its top-level array {@code field} read straight from the bytes
     * as rows of numbers ({@link NumberRows}) and replaced in the tree by {@code standIn}: the fast way through the
     * common record. Null where the record is not an object whose {@code field} is rows of plain numbers, or is not
     * JSON this class accepts: {@link #read} then reads it and says what is wrong.
     */
    public WithRows readRows(byte[] bytes, String field, String standIn) {
        try (JsonParser p = json.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = field.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted) {
                    if (value != JsonToken.START_ARRAY) {
                        return null;
                    }
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    NumberRows.Scan scan = NumberRows.read(bytes, start);
                    if (scan == null) {
                        return null;
                    }
                    byte[] in = standIn.getBytes(StandardCharsets.US_ASCII);
                    byte[] spliced = new byte[start + in.length + bytes.length - scan.end()];
                    System.arraycopy(bytes, 0, spliced, 0, start);
                    System.arraycopy(in, 0, spliced, start, in.length);
                    System.arraycopy(bytes, scan.end(), spliced, start + in.length, bytes.length - scan.end());
                    // the rest of the record, strictly: duplicate keys (a second field too), trailing data, nesting
                    return new WithRows(read(spliced, "a JSON object"), scan.rows());
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | InvalidSequenceException e) {
            return null;
        }
    }

    /** @throws InvalidSequenceException SCHEMA, with up to three of the schema's messages */
    public static void validate(JsonSchema schema, JsonNode node, String schemaName) throws InvalidSequenceException {
        Set<ValidationMessage> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            throw new InvalidSequenceException(ErrorCode.SCHEMA, "does not match " + schemaName + ": "
                    + errors.stream().map(ValidationMessage::getMessage).sorted().limit(3)
                    .collect(Collectors.joining("; ")));
        }
    }

    /** A schema of {@code schemas/}, from the classpath. */
    public static JsonSchema schema(String resource) {
        try (InputStream in = StrictJson.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
