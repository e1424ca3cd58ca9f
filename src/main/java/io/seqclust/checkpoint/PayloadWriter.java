package io.seqclust.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a model's serving payload: numbers, arrays with their length, enums by name (so that reordering
 * an enum never changes what a stored checkpoint means). {@link PayloadReader} reads it back.
 */
public final class PayloadWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    @FunctionalInterface
    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private PayloadWriter write(Write w) {
        try {
            w.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return this;
    }

    public PayloadWriter writeInt(int v) {
        return write(o -> o.writeInt(v));
    }

    public PayloadWriter writeBoolean(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    public PayloadWriter writeDouble(double v) {
        return write(o -> o.writeDouble(v));
    }

    public PayloadWriter writeString(String s) {
        return write(o -> o.writeUTF(s));
    }

    public PayloadWriter writeEnum(Enum<?> e) {
        return writeString(e.name());
    }

    /** The length, then the values. */
    public PayloadWriter writeDoubles(double[] v) {
        writeInt(v.length);
        for (double x : v) {
            writeDouble(x);
        }
        return this;
    }

    /** As {@link #writeDoubles}: float32 values stored as doubles, so that they read back exactly. */
    public PayloadWriter writeFloats(float[] v) {
        writeInt(v.length);
        for (float x : v) {
            writeDouble(x);
        }
        return this;
    }

    public PayloadWriter writeInts(int[] v) {
        writeInt(v.length);
        for (int x : v) {
            writeInt(x);
        }
        return this;
    }

    /** The length, then the bytes: another payload nested in this one. */
    public PayloadWriter writeBytes(byte[] bytes) {
        writeInt(bytes.length);
        return write(o -> o.write(bytes));
    }

    /** Rows, then each row as {@link #writeDoubles}. */
    public PayloadWriter writeMatrix(double[][] m) {
        writeInt(m.length);
        for (double[] row : m) {
            writeDoubles(row);
        }
        return this;
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }
}
