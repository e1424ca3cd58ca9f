package io.seqclust.checkpoint;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    private static final byte[] PAYLOAD = new PayloadWriter().writeInt(3).writeDoubles(new double[] {1.5, -2}).writeEnum(Colour.RED)
            .toBytes();

    enum Colour { RED, GREEN }

    private static Checkpoint sample() {
        return new Checkpoint("kmeans-avg", 9, 1234, "{\"restarts\":10}", 3, 2, 500, new int[] {2, 0, 1}, PAYLOAD);
    }

    @Test
    void roundTripsEveryField() {
        Checkpoint c = Checkpoint.fromBytes(sample().toBytes());
        assertEquals("kmeans-avg", c.model());
        assertEquals(9, c.version());
        assertEquals(1234, c.createdAt());
        assertEquals("{\"restarts\":10}", c.settings());
        assertEquals(3, c.k());
        assertEquals(2, c.dims());
        assertEquals(500, c.windowSize());
        assertArrayEquals(new int[] {2, 0, 1}, c.permutation());
        assertArrayEquals(PAYLOAD, c.payload());
        assertArrayEquals(sample().toBytes(), c.toBytes());
    }

    /** Bytes the code before this codec published (commit 8cca146, a kmeans-avg model): refused, naming both formats. */
    @Test
    void aCheckpointOfTheFirstFormatIsRefusedClearly() throws IOException {
        byte[] old;
        try (InputStream in = getClass().getResourceAsStream("/checkpoints/kmeans-avg-format1.bin")) {
            old = in.readAllBytes();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(old));
        assertEquals("checkpoint format version 1 is not supported: this build reads format version 2; retrain to publish"
                + " the model in it", e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsRefusedNamingBoth() {
        byte[] bytes = sample().toBytes();
        ByteBuffer.wrap(bytes).putInt(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(bytes));
        assertEquals("checkpoint format version 3 is not supported: this build reads format version 2", e.getMessage());
    }

    @Test
    void aFlippedBitInThePayloadFailsItsChecksum() {
        byte[] bytes = sample().toBytes();
        bytes[bytes.length - 5] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(bytes)).getMessage().contains("SHA-256"));
    }

    @Test
    void truncatedOrForeignBytesAreRefused() {
        byte[] bytes = sample().toBytes();
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(Arrays.copyOf(bytes, 30)));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(new byte[] {1, 2, 3}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes("{\"not\":\"a checkpoint\"}".getBytes()))
                .getMessage().contains("bad magic"));
    }

    @Test
    void aHeaderAskingForAHugeArrayIsRefusedBeforeAllocating() {
        byte[] bytes = sample().toBytes();
        // k sits after magic, format, version, time and the two strings
        int kAt = 4 + 4 + 8 + 8 + 2 + "kmeans-avg".length() + 2 + "{\"restarts\":10}".length();
        ByteBuffer.wrap(bytes).putInt(kAt, 60_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(bytes)).getMessage().contains("k = 60000"));
    }

    @Test
    void payloadsReadEnumsByNameAndCheckEveryLength() {
        PayloadReader in = new PayloadReader(PAYLOAD);
        assertEquals(3, in.readInt("a count", 1, 5));
        assertArrayEquals(new double[] {1.5, -2}, in.readDoubles("values", 2), 0);
        assertEquals(Colour.RED, in.readEnum(Colour.class));
        in.end();

        PayloadReader wrongLength = new PayloadReader(PAYLOAD);
        wrongLength.readInt();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> wrongLength.readDoubles("values", 3)).getMessage()
                .contains("expected 3 values, the payload has 2"));

        byte[] renamed = new PayloadWriter().writeString("BLUE").toBytes();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PayloadReader(renamed).readEnum(Colour.class))
                .getMessage().contains("unknown Colour 'BLUE'"));

        byte[] huge = new PayloadWriter().writeInt(Integer.MAX_VALUE).toBytes();
        assertThrows(IllegalArgumentException.class, () -> new PayloadReader(huge).readDoubles("values", 1, Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new PayloadReader(PAYLOAD).readInt("a count", 4, 5));
    }
}
