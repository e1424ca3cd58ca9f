package io.seqclust.clustering;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Everything needed to assign with a trained model, as it travels on the models topic.
 *
 * @param permutation the stable cluster id of each of the model's own clusters, so that ids keep
 *                    their meaning across retrains
 * @param windowSize  sequences the model was trained on
 */
public record Checkpoint(String model, long version, long createdAt, int k, int dims, int windowSize,
                         int[] permutation, byte[] payload) {

    private static final int MAGIC = 0x53514b31; // "SQK1"
    private static final int VERSION_OFFSET = 4;
    private static final int CREATED_AT_OFFSET = 12;

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(version);
            out.writeLong(createdAt);
            out.writeUTF(model);
            out.writeInt(k);
            out.writeInt(dims);
            out.writeInt(windowSize);
            for (int p : permutation) {
                out.writeInt(p);
            }
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint */
    public static Checkpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a seqclust checkpoint (bad magic number)");
            }
            long version = in.readLong();
            long createdAt = in.readLong();
            String model = in.readUTF();
            int k = in.readInt();
            int dims = in.readInt();
            int windowSize = in.readInt();
            if (k < 1 || dims < 1) {
                throw new IllegalArgumentException("checkpoint with k = " + k + ", dims = " + dims);
            }
            int[] permutation = new int[k];
            for (int i = 0; i < k; i++) {
                permutation[i] = in.readInt();
            }
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new Checkpoint(model, version, createdAt, k, dims, windowSize, permutation, payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt checkpoint: " + e, e);
        }
    }

    /**
     * Version and creation time read without decoding the rest, so the hot path can tell in a few
     * nanoseconds whether the stored checkpoint is still the one it has loaded.
     */
    public static long[] identity(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new long[] {b.getLong(VERSION_OFFSET), b.getLong(CREATED_AT_OFFSET)};
    }

    public Checkpoint withPermutation(int[] newPermutation) {
        return new Checkpoint(model, version, createdAt, k, dims, windowSize, newPermutation, payload);
    }
}
