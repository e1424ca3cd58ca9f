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

    private final SequenceParser parser = new SequenceParser(5);

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
    })
    void rejectsWithTheRightCode(String json, ErrorCode expected) {
        InvalidSequenceException e = assertThrows(InvalidSequenceException.class, () -> parser.parse(bytes(json.strip())));
        assertEquals(expected, e.code(), e.getMessage());
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
