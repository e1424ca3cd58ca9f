package io.seqclust.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqclust.assignment.DeadLetters;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published schemas say what the code does: every error code, every header a dead letter may carry. */
class SchemasTest {

    private final JsonNode deadLetter = read("schemas/dead-letter.schema.json");

    @Test
    void theDeadLetterSchemaListsExactlyTheErrorCodes() {
        List<String> listed = new ArrayList<>();
        deadLetter.at("/properties/seqclust.error.code/enum").forEach(n -> listed.add(n.asText()));
        assertEquals(Arrays.stream(ErrorCode.values()).map(Enum::name).toList(), listed);
    }

    @Test
    void theDeadLetterSchemaDescribesEverySeqclustHeader() {
        for (String header : List.of(DeadLetters.CODE, DeadLetters.MESSAGE, DeadLetters.SOURCE_TOPIC,
                DeadLetters.SOURCE_PARTITION, DeadLetters.SOURCE_OFFSET, DeadLetters.TRUNCATED, DeadLetters.SOURCE_BYTES,
                DeadLetters.SOURCE_SHA256, DeadLetters.HEADERS_DROPPED)) {
            assertTrue(deadLetter.at("/properties").has(header), header);
        }
    }

    private static JsonNode read(String path) {
        try {
            return new ObjectMapper().readTree(Path.of(path).toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
