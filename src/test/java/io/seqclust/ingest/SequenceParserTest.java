package io.seqclust.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceParserTest {

    /** 5 steps, 4 dims, ids of 8 characters, values within 1e6, 2 KiB records. */
    static final InputLimits LIMITS = new InputLimits(2048, 5, 4, 8, 1e6, 8, 256);

    private final SequenceParser parser = new SequenceParser(LIMITS);

    @Test
    void decodesAValidSequence() throws Exception {
        Sequence s = parser.parse(bytes("{\"id\":\"a\",\"source\":\"s1\",\"timestamp\":17,\"values\":[[1,2.5],[-3,4e-2]]}"));
        assertEquals("a", s.id());
        assertEquals("s1", s.source());
        assertEquals(17L, s.timestamp());
        assertEquals(2, s.steps());
        assertEquals(2, s.dims());
        assertArrayEquals(new double[] {-3, 0.04}, s.values()[1]);
    }

    @Test
    void sourceAndTimestampAreOptional() throws Exception {
        Sequence s = parser.parse(bytes("{\"id\":\"a\",\"values\":[[1]]}"));
        assertNull(s.source());
        assertNull(s.timestamp());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"id\":\"a\",\"values\":[[1,2]]                                 | BAD_JSON",
            "not json at all                                                  | BAD_JSON",
            "{\"values\":[[1]]}                                               | SCHEMA",
            "{\"id\":\"\",\"values\":[[1]]}                                   | SCHEMA",
            "{\"id\":7,\"values\":[[1]]}                                      | SCHEMA",
            "{\"id\":\"a\"}                                                   | SCHEMA",
            "{\"id\":\"a\",\"values\":[1,2]}                                  | SCHEMA",
            "{\"id\":\"a\",\"values\":[[1,\"2\"]]}                            | SCHEMA",
            "{\"id\":\"a\",\"timestamp\":\"yesterday\",\"values\":[[1]]}      | SCHEMA",
            "[[1,2],[3,4]]                                                    | SCHEMA",
            "{\"id\":\"a\",\"values\":[]}                                     | EMPTY",
            "{\"id\":\"a\",\"values\":[[]]}                                   | EMPTY",
            "{\"id\":\"a\",\"values\":[[1,2],[3]]}                            | RAGGED",
            "{\"id\":\"a\",\"values\":[[1,2],[3,NaN]]}                        | NON_FINITE",
            "{\"id\":\"a\",\"values\":[[1,-Infinity]]}                        | NON_FINITE",
            "{\"id\":\"a\",\"values\":[[1e400]]}                              | NON_FINITE",
            "{\"id\":\"a\",\"values\":[[1],[2],[3],[4],[5],[6]]}              | TOO_LONG",
            "{\"id\":\"a\",\"values\":[[1,2,3,4,5]]}                          | TOO_WIDE",
            "{\"id\":\"a\",\"values\":[[1.7e308]]}                            | OUT_OF_RANGE",
            "{\"id\":\"a\",\"values\":[[-2e6]]}                               | OUT_OF_RANGE",
            "{\"id\":\"a\",\"timestamp\":123456789012345678901234567890,\"values\":[[1]]} | OUT_OF_RANGE",
            "{\"id\":\"a\",\"values\":[[1]]} trailing                         | BAD_JSON",
            "{\"id\":\"a\",\"values\":[[1]]}{\"id\":\"b\",\"values\":[[1]]}     | BAD_JSON",
            "{\"id\":\"a\",\"id\":\"b\",\"values\":[[1]]}                     | BAD_JSON",
            "{\"id\":\"a\",\"x\":[[[[[[[[[1]]]]]]]]],\"values\":[[1]]}           | BAD_JSON",
            "{\"id\":\"a\",\"values\":[[1000000000000000000000000000000000000000000000000000000000000000001]]} | BAD_JSON",
            "{\"id\":\"123456789\",\"values\":[[1]]}                          | SCHEMA",
            "{\"id\":\"a\",\"source\":\"123456789\",\"values\":[[1]]}         | SCHEMA",
    })
    void rejectsWithTheRightCode(String json, ErrorCode expected) {
        InvalidSequenceException e = assertThrows(InvalidSequenceException.class, () -> parser.parse(bytes(json.strip())));
        assertEquals(expected, e.code(), e.getMessage());
    }

    @Test
    void aRecordOverTheByteLimitIsRefusedBeforeItIsParsed() {
        byte[] big = new byte[2049];
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(InvalidSequenceException.class, () -> parser.parse(big)).code());
        byte[] value = bytes("{\"id\":\"a\",\"values\":[[1]]}");
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(InvalidSequenceException.class,
                () -> parser.parse(new byte[2048 - value.length + 1], value)).code(), "the key counts too");
    }

    @Test
    void malformedAndOverlongUtf8AreBadJson() {
        byte[] overlongSlash = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', ',', '"', 'v', 'a', 'l', 'u', 'e',
                's', '"', ':', '[', '[', '1', ']', ']', '}'};
        assertEquals(ErrorCode.BAD_JSON, assertThrows(InvalidSequenceException.class, () -> parser.parse(overlongSlash)).code());
        byte[] loneContinuation = bytes("{\"id\":\"a\",\"values\":[[1]]}");
        loneContinuation[7] = (byte) 0x80;
        assertEquals(ErrorCode.BAD_JSON, assertThrows(InvalidSequenceException.class, () -> parser.parse(loneContinuation)).code());
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> parser.parse(bytes("{\"id\":\"é✓\",\"values\":[[1]]}")));
    }

    @Test
    void anEmptyRecordIsEmpty() {
        assertEquals(ErrorCode.EMPTY, assertThrows(InvalidSequenceException.class, () -> parser.parse(new byte[0])).code());
        assertEquals(ErrorCode.EMPTY, assertThrows(InvalidSequenceException.class, () -> parser.parse(null)).code());
        assertEquals(ErrorCode.EMPTY, assertThrows(InvalidSequenceException.class, () -> parser.parse(bytes("  "))).code());
    }

    @Test
    void messagesSayWhatToFix() {
        InvalidSequenceException e = assertThrows(InvalidSequenceException.class,
                () -> parser.parse(bytes("{\"id\":\"a\",\"values\":[[1,2],[3]]}")));
        assertEquals("row 1 has 1 values but row 0 has 2: every row needs the same D", e.getMessage());
    }

    /**
     * The parser lets the schema check a stand-in for rows it has read whole as numbers; that is sound only while
     * the schema says no more about values than those reads check.
     */
    @Test
    void theSchemasValuesClauseIsTheOneTheParserChecks() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode schema;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(SequenceParser.SCHEMA_RESOURCE)) {
            schema = mapper.readTree(in);
        }
        com.fasterxml.jackson.databind.JsonNode clause = schema.get("properties").get("values").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) clause).remove("description");
        ((com.fasterxml.jackson.databind.node.ObjectNode) clause.get("items")).remove("description");
        assertEquals(mapper.readTree("{\"type\":\"array\",\"minItems\":1,\"items\":{\"type\":\"array\",\"minItems\":1,"
                + "\"items\":{\"type\":\"number\"}}}"), clause);
        ((com.fasterxml.jackson.databind.node.ObjectNode) schema.get("properties")).remove("values");
        org.junit.jupiter.api.Assertions.assertFalse(schema.toString().replace("\"required\":[\"id\",\"values\"]", "")
                .contains("\"values\""), "values is named nowhere else in the schema");
    }

    /**
     * Differential: on records mutated field by field (every JSON type in every place, values' rows and numbers
     * included), the parser's verdict equals the schema's own over the whole record — accepted records pass it, and a
     * SCHEMA refusal carries the whole record's messages.
     */
    @Test
    void theVerdictIsTheSchemasOwnOverTheWholeRecord() throws Exception {
        List<String> records = mutatedRecords();
        StrictJson strict = new StrictJson(LIMITS);
        com.networknt.schema.JsonSchema schema = StrictJson.schema(SequenceParser.SCHEMA_RESOURCE);
        int accepted = 0;
        int refused = 0;
        for (String record : records) {
            String whole;
            try {
                StrictJson.validate(schema, strict.read(bytes(record), "a record"), "sequence.schema.json");
                whole = null;
            } catch (InvalidSequenceException e) {
                whole = e.getMessage();
            }
            try {
                parser.parse(bytes(record));
                assertNull(whole, record + " was accepted but the schema refuses it");
                accepted++;
            } catch (InvalidSequenceException e) {
                if (e.code() == ErrorCode.SCHEMA) {
                    assertEquals(whole, e.getMessage(), record);
                    refused++;
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(accepted > 50 && refused > 500, accepted + " accepted, " + refused + " refused");
    }

    /**
     * The fast way (values read straight from the bytes) and the whole way (Jackson's tree of the whole record) agree
     * on every record of the mutated corpus, the refused examples above and records of every number form and spacing:
     * the fast way reads every record the whole way accepts and none it refuses, to the same sequence bit for bit.
     */
    @Test
    void theFastWayReadsWhatTheWholeWayReads() throws Exception {
        List<String> records = new ArrayList<>(mutatedRecords());
        for (String numbers : new String[] {"[[1,2],[3,4]]", "[ [ -0 , -0.0 ] ,\n\t[ 1E3 , 2.5e-3 ] ]", "[[0.1,1e22],[1e23,-7]]",
                "[[123456789012345678901,4.9e-324]]", "[[1.7e308,1]]", "[[01]]", "[[1.]]", "[[1],[2,3]]", "[[1,2,3,4,5]]",
                "[[1],[2],[3],[4],[5],[6]]", "[[NaN]]", "[[1e400]]"}) {
            records.add("{\"id\":\"a\",\"values\":" + numbers + "}");
            records.add("{\"values\":" + numbers + ",\"timestamp\":5,\"id\":\"a\"}");
            records.add("{\"values\":" + numbers + ",\"id\":\"a\",\"values\":[[1]]}");
        }
        int fast = 0;
        for (String record : records) {
            byte[] bytes = bytes(record);
            Sequence common = parser.commonRecord(bytes);
            Sequence whole;
            try {
                whole = parser.wholeRecord(bytes);
            } catch (InvalidSequenceException e) {
                assertNull(common, record + " is refused the whole way (" + e.getMessage() + ") but read the fast way");
                assertEquals(e.getMessage(), assertThrows(InvalidSequenceException.class, () -> parser.parse(bytes)).getMessage());
                continue;
            }
            assertNotNull(common, record + " is read the whole way, not the fast way");
            assertEquals(whole.id(), common.id(), record);
            assertEquals(whole.source(), common.source(), record);
            assertEquals(whole.timestamp(), common.timestamp(), record);
            assertTrue(java.util.Arrays.deepEquals(whole.values(), common.values()), record);
            fast++;
        }
        assertTrue(fast > 50, fast + " read the fast way");
    }

    /** Records mutated field by field: every JSON type in every place, values' rows and numbers included. */
    private static List<String> mutatedRecords() {
        String[] kinds = {"\"s\"", "\"\"", "7", "-1.5", "null", "true", "[]", "[1]", "[[1]]", "{}", "{\"a\":1}"};
        List<String> records = new ArrayList<>();
        String[] ids = {"\"id\":\"a\"", "", "\"id\":%s"};
        String[] sources = {"", "\"source\":\"s\",", "\"source\":%s,"};
        String[] timestamps = {"", "\"timestamp\":17,", "\"timestamp\":%s,"};
        String[] values = {"\"values\":[[1,2],[3,4]]", "\"values\":%s", "\"values\":[[1,2],%s]", "\"values\":[[1,%s],[3,4]]",
                "\"values\":[%s,[3,4]]", ""};
        for (String id : ids) {
            for (String source : sources) {
                for (String timestamp : timestamps) {
                    for (String value : values) {
                        String template = "{" + source + timestamp + value + (value.isEmpty() || id.isEmpty() ? "" : ",") + id
                                + ",\"extra\":%s}";
                        for (String kind : kinds) {
                            records.add(template.replace("%s", kind));
                        }
                    }
                }
            }
        }
        return records;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
