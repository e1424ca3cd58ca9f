package io.seqclust.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Everything needed to assign with a trained model, as it travels on the models topic: a header (format
 * version, model, settings, cluster count, dims, the stable id of each cluster) and the model's serving
 * payload, checked by its SHA-256.
 * <p>
 * Format 2, big-endian: magic "SQCK", format version, model version, creation time, model name, settings
 * (JSON), k, dims, window size, k permutation entries, SHA-256 of the payload (32 bytes), payload length,
 * payload. Format 1 (magic "SQK1", before this codec) is recognised and rejected.
 *
 * @param settings    the model's settings as JSON, for people and tools (serving reads only the payload)
 * @param permutation the stable cluster id of each of the model's own clusters, so that ids keep their
 *                    meaning across retrains
 * @param windowSize  sequences the model was trained on
 */
public record Checkpoint(String model, long version, long createdAt, String settings, int k, int dims, int windowSize,
                         int[] permutation, byte[] payload) {

    /** The record key under which the served checkpoint lives on the (compacted) models topic. */
    public static final String TOPIC_KEY = "current";
    public static final int FORMAT_VERSION = 2;
    private static final int MAGIC = 0x5351434b; // "SQCK"
    private static final int FORMAT_1_MAGIC = 0x53514b31; // "SQK1"
    private static final int SHA_256_BYTES = 32;
    /** More clusters than any model here can train; it bounds what a header may ask to allocate. */
    private static final int MAX_K = 1 << 16;

    public Checkpoint {
        if (permutation.length != k) {
            throw new IllegalArgumentException("a checkpoint of k = " + k + " needs " + k + " permutation entries, got "
                    + permutation.length);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + settings.length() + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(version);
            out.writeLong(createdAt);
            out.writeUTF(model);
            out.writeUTF(settings);
            out.writeInt(k);
            out.writeInt(dims);
            out.writeInt(windowSize);
            for (int p : permutation) {
                out.writeInt(p);
            }
            out.write(sha256(payload));
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint this build reads, saying why */
    public static Checkpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic == FORMAT_1_MAGIC) {
                throw unsupported(1);
            }
            if (magic != MAGIC) {
                throw new IllegalArgumentException("not a seqclust checkpoint (bad magic number)");
            }
            int format = in.readInt();
            if (format != FORMAT_VERSION) {
                throw unsupported(format);
            }
            long version = in.readLong();
            long createdAt = in.readLong();
            String model = in.readUTF();
            String settings = in.readUTF();
            int k = in.readInt();
            int dims = in.readInt();
            int windowSize = in.readInt();
            if (k < 1 || k > MAX_K || dims < 1) {
                throw new IllegalArgumentException("checkpoint header with k = " + k + ", dims = " + dims);
            }
            if ((long) k * Integer.BYTES > in.available()) {
                throw new IllegalArgumentException("checkpoint header of k = " + k + " is longer than the record");
            }
            int[] permutation = new int[k];
            for (int i = 0; i < k; i++) {
                permutation[i] = in.readInt();
            }
            byte[] digest = in.readNBytes(SHA_256_BYTES);
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException("checkpoint payload length " + length + " does not match the "
                        + in.available() + " bytes that follow it");
            }
            byte[] payload = in.readNBytes(length);
            if (!MessageDigest.isEqual(digest, sha256(payload))) {
                throw new IllegalArgumentException("checkpoint payload does not match its SHA-256 (" + HexFormat.of().formatHex(digest)
                        + "): corrupt");
            }
            return new Checkpoint(model, version, createdAt, settings, k, dims, windowSize, permutation, payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt checkpoint: " + e, e);
        }
    }

    private static IllegalArgumentException unsupported(int format) {
        return new IllegalArgumentException("checkpoint format version " + format + " is not supported: this build reads"
                + " format version " + FORMAT_VERSION + (format < FORMAT_VERSION ? "; retrain to publish the model in it" : ""));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return model + " v" + version + " (k=" + k + ", D=" + dims + ", " + payload.length + "-byte payload, permutation "
                + Arrays.toString(permutation) + ")";
    }
}
