package io.seqclust.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
