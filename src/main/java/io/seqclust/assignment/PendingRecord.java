package io.seqclust.assignment;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An input record held back until a first model exists, with what its assignment or dead letter
 * needs later: its coordinates, timestamp, key, value and headers.
 */
record PendingRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, Headers headers) {

    /**
     * Written into an array of exactly its size, which is what is returned: a record is held on every arrival, and a
     * growing stream allocated and copied about twice the record's value per record ({@code bench --online} under JFR).
     */
    byte[] toBytes() {
        Header[] all = headers.toArray();
        Exact bytes = new Exact(size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(topic);
            out.writeInt(partition);
            out.writeLong(offset);
            out.writeLong(timestamp);
            writeNullable(out, key);
            writeNullable(out, value);
            out.writeInt(all.length);
            for (Header h : all) {
                out.writeUTF(h.key());
                writeNullable(out, h.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.array();
    }

    /** How many bytes {@link #toBytes} writes. */
    int size() {
        int size = utfBytes(topic) + Integer.BYTES + 2 * Long.BYTES + nullableBytes(key) + nullableBytes(value) + Integer.BYTES;
        for (Header h : headers) {
            size += utfBytes(h.key()) + nullableBytes(h.value());
        }
        return size;
    }

    /** A stream into an array of a known size, which it hands over without a copy once it is full. */
    private static final class Exact extends ByteArrayOutputStream {

        Exact(int size) {
            super(size);
        }

        byte[] array() {
            return count == buf.length ? buf : toByteArray();
        }
    }

    /** What {@link DataOutputStream#writeUTF} writes for s: its length, then s in modified UTF-8. */
    private static int utfBytes(String s) {
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        return n;
    }

    private static int nullableBytes(byte[] b) {
        return Integer.BYTES + (b == null ? 0 : b.length);
    }

    static PendingRecord fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            byte[] key = readNullable(in);
            byte[] value = readNullable(in);
            RecordHeaders headers = new RecordHeaders();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                headers.add(in.readUTF(), readNullable(in));
            }
            return new PendingRecord(topic, partition, offset, timestamp, key, value, headers);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending record", e);
        }
    }

    private static void writeNullable(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readNullable(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
