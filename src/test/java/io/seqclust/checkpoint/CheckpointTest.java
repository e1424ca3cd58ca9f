package io.seqclust.checkpoint;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        assertEquals("checkpoint format version 1 is not supported: this build reads format versions 2 and 3; retrain to"
                + " publish the model in format 3", e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsRefusedNamingBoth() {
        byte[] bytes = sample().toBytes();
        ByteBuffer.wrap(bytes).putInt(4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(bytes));
        assertEquals("checkpoint format version 4 is not supported: this build reads format versions 2 and 3", e.getMessage());
    }

    @Test
    void aFlippedBitInThePayloadFailsItsChecksum() {
        byte[] bytes = sample().toBytes();
        bytes[payloadAt() + 5] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(bytes)).getMessage().contains("SHA-256"));
    }

    @Test
    void theRecordsAModelWasTrainedOnTravelWithIt() {
        Checkpoint.Reference reference = new Checkpoint.Reference(new double[] {0.5, 0.25, 0.25}, 0.8,
                new double[] {0, 1, 3.4}, new double[] {0.1, 0.2, 0.5}, 500);
        List<double[][]> anchors = List.of(new double[][] {{1.5, -2}, {0.25, 3}}, new double[][] {{7, 8}});
        Checkpoint.Agreement agreement = new Checkpoint.Agreement(8, 0.91, 0.88, 96);
        Checkpoint c = new Checkpoint("kmeans-avg", 9, 1234, "{}", 3, 2, 500, new int[] {2, 0, 1}, PAYLOAD,
                new Checkpoint.Lineage(Map.of(0, 120L, 2, 7L), reference, anchors, agreement));
        Checkpoint read = Checkpoint.fromBytes(c.toBytes());
        assertEquals(Map.of(0, 120L, 2, 7L), read.trainedThrough());
        assertEquals(2, read.anchors().size());
        assertArrayEquals(anchors.get(0)[1], read.anchors().get(0)[1], 0, "anchors travel as floats: these are exact");
        assertArrayEquals(anchors.get(1)[0], read.anchors().get(1)[0], 0);
        assertEquals(agreement, read.agreement());
        assertArrayEquals(reference.mix(), read.reference().mix());
        assertEquals(0.8, read.reference().confidence());
        assertArrayEquals(reference.featureMean(), read.reference().featureMean());
        assertArrayEquals(reference.featureSd(), read.reference().featureSd());
        assertEquals(500, read.reference().records());
        assertEquals(Map.of(), Checkpoint.fromBytes(sample().toBytes()).trainedThrough());
        assertEquals(null, Checkpoint.fromBytes(sample().toBytes()).reference());
        Checkpoint again = c.republished(10, 99, Map.of(0, 130L));
        assertEquals(Map.of(0, 130L), again.trainedThrough());
        assertEquals(10, again.version());
        assertEquals(reference, again.reference());
        assertEquals(null, again.agreement(), "a republished model replaced nothing");
        assertEquals(2, again.anchors().size());
    }

    /** Format 2 is format 3 without sections: a model published before them is still served. */
    @Test
    void aCheckpointOfFormat2IsRead() throws Exception {
        byte[] three = sample().toBytes();
        byte[] two = Arrays.copyOf(three, payloadAt() + PAYLOAD.length);
        ByteBuffer.wrap(two).putInt(4, 2);
        Checkpoint c = Checkpoint.fromBytes(redigested(two)); // format 2: the SHA-256 of the payload alone
        assertArrayEquals(PAYLOAD, c.payload());
        assertEquals(Map.of(), c.trainedThrough());
    }

    @Test
    void sectionsAreCoveredByTheChecksumBoundedByTheBytesPresentAndUnknownOnesSkipped() throws Exception {
        int sectionLengthAt = payloadAt() + PAYLOAD.length + 4 + 2 + "trained-through".length();
        byte[] flipped = sample().toBytes();
        flipped[sectionLengthAt + 3] ^= 1;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(flipped)).getMessage().contains("SHA-256"));
        // what a writer who recomputes the digest could send
        byte[] longer = sample().toBytes();
        ByteBuffer.wrap(longer).putInt(sectionLengthAt, 1 << 30);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(redigested(longer))).getMessage()
                .contains("longer than the record"));
        byte[] counted = sample().toBytes();
        ByteBuffer.wrap(counted).putInt(sectionLengthAt + 4, 50_000_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromBytes(redigested(counted))).getMessage()
                .contains("50000000 partitions"));
        byte[] renamed = sample().toBytes();
        renamed[payloadAt() + PAYLOAD.length + 4 + 2] = 'T'; // "Trained-through": a section this build does not know
        assertEquals(Map.of(), Checkpoint.fromBytes(redigested(renamed)).trainedThrough());
    }

    /** The bytes with their SHA-256 (of the payload and the sections) made to match again. */
    private static byte[] redigested(byte[] bytes) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(bytes, payloadAt(), bytes.length - payloadAt());
        System.arraycopy(sha.digest(), 0, bytes, payloadAt() - 4 - 32, 32);
        return bytes;
    }

    /** Where the payload of {@link #sample()} starts: after the header, the 3 permutation entries, the digest and the length. */
    private static int payloadAt() {
        return 4 + 4 + 8 + 8 + 2 + "kmeans-avg".length() + 2 + "{\"restarts\":10}".length() + 4 + 4 + 4 + 3 * 4 + 32 + 4;
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
