package io.seqclust.assignment;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PendingRecordTest {

    /**
     * A held record comes back from the store as it went in, whatever its topic's and headers' characters (modified
     * UTF-8 writes NUL and characters past 0x7F in two or three bytes, which the exact size must count).
     */
    @Test
    void aRecordComesBackFromItsBytesAsItWasWithNothingLeftOver() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        headers.add("é\u0000€", null);
        headers.add("", new byte[0]);
        for (String topic : new String[] {"sequences", "séquences-\u0000-€-\uD83D\uDE00", ""}) {
            for (byte[] key : new byte[][] {null, "k-1".getBytes(StandardCharsets.UTF_8)}) {
                PendingRecord in = new PendingRecord(topic, 3, 123456789L, 1700000000000L, key, new byte[] {1, 2, 3}, headers);
                byte[] bytes = in.toBytes();
                PendingRecord out = PendingRecord.fromBytes(bytes);
                assertEquals(topic, out.topic());
                assertEquals(3, out.partition());
                assertEquals(123456789L, out.offset());
                assertEquals(1700000000000L, out.timestamp());
                assertArrayEquals(key, out.key());
                assertArrayEquals(new byte[] {1, 2, 3}, out.value());
                assertArrayEquals(headers.toArray(), out.headers().toArray());
                assertNull(out.headers().lastHeader("é\u0000€").value());
                assertEquals(in.size(), bytes.length, "written into an array of exactly its size");
            }
        }
    }
}
