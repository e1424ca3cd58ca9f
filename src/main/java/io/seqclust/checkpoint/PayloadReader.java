package io.seqclust.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads what {@link PayloadWriter} wrote. Every length is checked against the bytes that are left before
 * anything is allocated, and every problem is an {@link IllegalArgumentException} saying what was expected.
 */
public final class PayloadReader {

    private final DataInputStream in;
    private final int size;

    public PayloadReader(byte[] bytes) {
        this.size = bytes.length;
        this.in = new DataInputStream(new ByteArrayInputStream(bytes));
    }

    private int remaining() {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(DataInputStream in) throws IOException;
    }

    private <T> T read(Read<T> r) {
        try {
            return r.from(in);
        } catch (EOFException e) {
            throw new IllegalArgumentException("the payload ends early (" + size + " bytes)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("a malformed payload: " + e.getMessage(), e);
        }
    }

    /** Whether every byte has been read: a field added at a payload's end is absent from older payloads. */
    public boolean atEnd() {
        return remaining() == 0;
    }

    public int readInt() {
        return read(DataInputStream::readInt);
    }

    /** An int that must lie in [min, max]: a size or a count. */
    public int readInt(String what, int min, int max) {
        int v = readInt();
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    public boolean readBoolean() {
        return readInt("a boolean", 0, 1) == 1;
    }

    public double readDouble() {
        return read(DataInputStream::readDouble);
    }

    public String readString() {
        return read(d -> d.readUTF());
    }

    public <E extends Enum<E>> E readEnum(Class<E> type) {
        String name = readString();
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + name + "'; known: "
                    + Arrays.toString(type.getEnumConstants()), e);
        }
    }

    /** An array of exactly {@code length} values (its stored length must agree). */
    public double[] readDoubles(String what, int length) {
        return readValues(what, storedLength(what, length));
    }

    /** An array whose length the payload gives, at most {@code max}. */
    public double[] readDoubles(String what, int min, int max) {
        return readValues(what, readInt(what + " length", min, max));
    }

    /** What {@link PayloadWriter#writeFloats} wrote: exactly {@code length} values. */
    public float[] readFloats(String what, int length) {
        return toFloats(readDoubles(what, length));
    }

    /** What {@link PayloadWriter#writeFloats} wrote: as many values as it stored, {@code min} to {@code max}. */
    public float[] readFloats(String what, int min, int max) {
        return toFloats(readDoubles(what, min, max));
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    public int[] readInts(String what, int length) {
        requireRoom(what, storedLength(what, length), Integer.BYTES);
        int[] v = new int[length];
        for (int i = 0; i < length; i++) {
            v[i] = readInt();
        }
        return v;
    }

    private double[] readValues(String what, int length) {
        requireRoom(what, length, Double.BYTES);
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = readDouble();
        }
        return v;
    }

    private int storedLength(String what, int length) {
        int stored = readInt();
        if (stored != length) {
            throw new IllegalArgumentException(what + ": expected " + length + " values, the payload has " + stored);
        }
        return length;
    }

    /** Checked before allocating: a corrupt length must not become an OutOfMemoryError. */
    private void requireRoom(String what, int count, int bytesEach) {
        if ((long) count * bytesEach > remaining()) {
            throw new IllegalArgumentException(what + ": " + count + " values do not fit in the " + remaining()
                    + " bytes left of the payload");
        }
    }

    /** Bytes as {@link PayloadWriter#writeBytes} wrote them. */
    public byte[] readBytes(String what) {
        int length = readInt(what + " length", 0, Integer.MAX_VALUE);
        requireRoom(what, length, 1);
        return read(d -> d.readNBytes(length));
    }

    /** A rows × cols matrix (both as the payload must have them). */
    public double[][] readMatrix(String what, int rows, int cols) {
        return readMatrix(what, rows, cols, cols);
    }

    /** A matrix of {@code rows} rows of one length, between min and max columns. */
    public double[][] readMatrix(String what, int rows, int minCols, int maxCols) {
        int stored = readInt();
        if (stored != rows) {
            throw new IllegalArgumentException(what + ": expected " + rows + " rows, the payload has " + stored);
        }
        double[][] m = new double[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = r == 0 ? readDoubles(what + " row 0", minCols, maxCols) : readDoubles(what + " row " + r, m[0].length);
        }
        return m;
    }

    /** Fails unless every byte was read: a payload longer than its model is as suspect as a shorter one. */
    public void end() {
        if (remaining() > 0) {
            throw new IllegalArgumentException(remaining() + " unread bytes at the end of a " + size + "-byte payload");
        }
    }
}
