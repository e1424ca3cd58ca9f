package io.seqclust.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON array of rows of numbers ({@code [[1.5,-2],[3e2,4]]}) read straight from a record's bytes. Reading a
 * 100 × 12 record as Jackson's tree cost 78–100 µs, most of it in tokenising the numbers and boxing them as
 * nodes; the same record with its values read here takes 37–44 µs ({@code SequenceParser}'s fast way, README).
 * Only the plain shape is read. Anything else — an empty array or row, a value that is not a number, NaN, a
 * number longer than Jackson accepts, a malformed one — is refused (null), so that Jackson's reading decides it
 * and words its error. Each number comes out as the double Jackson's tree holds, bit for bit ({@code NumberRowsTest}).
 */
final class NumberRows {

    /** 10^0 … 10^22: exact doubles, so that a mantissa below 2^53 times or over one is rounded once, correctly. */
    private static final double[] POWERS = new double[23];
    private static final long EXACT_MANTISSA = 1L << 53;

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /** The rows, and the index just past the array's closing bracket. */
    record Scan(double[][] rows, int end) {
    }

    private final byte[] b;
    private int at;
    private double[] row = new double[16];

    private NumberRows(byte[] bytes, int from) {
        this.b = bytes;
        this.at = from;
    }

    /**
     * @param from the index of the array's opening bracket
     * @return the rows, or null where the array is anything but a non-empty array of non-empty arrays of plain numbers
     */
    static Scan read(byte[] bytes, int from) {
        NumberRows r = new NumberRows(bytes, from);
        double[][] rows = r.rows();
        return rows == null ? null : new Scan(rows, r.at);
    }

    private double[][] rows() {
        if (!take('[')) {
            return null;
        }
        List<double[]> rows = new ArrayList<>();
        do {
            double[] values = row();
            if (values == null) {
                return null;
            }
            rows.add(values);
        } while (take(','));
        return take(']') ? rows.toArray(new double[0][]) : null;
    }

    private double[] row() {
        if (!take('[')) {
            return null;
        }
        int n = 0;
        do {
            skipSpace();
            double v = number();
            if (Double.isNaN(v)) {
                return null;
            }
            if (n == row.length) {
                row = Arrays.copyOf(row, 2 * n);
            }
            row[n++] = v;
        } while (take(','));
        return take(']') ? Arrays.copyOf(row, n) : null;
    }

    /** After optional white space, the byte c, consumed; false (nothing consumed but the space) otherwise. */
    private boolean take(char c) {
        skipSpace();
        if (at < b.length && b[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (at < b.length && (b[at] == ' ' || b[at] == '\n' || b[at] == '\r' || b[at] == '\t')) {
            at++;
        }
    }

    /** A number by JSON's grammar, or NaN where there is none or it is not one Jackson would read as a double here. */
    private double number() {
        int start = at;
        boolean negative = at < b.length && b[at] == '-';
        if (negative) {
            at++;
        }
        long mantissa = 0;
        int first = at;
        while (at < b.length && isDigit(b[at])) {
            mantissa = mantissa * 10 + (b[at++] - '0');
        }
        int digits = at - first;
        if (digits == 0 || (b[first] == '0' && digits > 1)) {
            return Double.NaN;
        }
        boolean integer = true;
        int exponent = 0;
        if (at < b.length && b[at] == '.') {
            integer = false;
            int from = ++at;
            while (at < b.length && isDigit(b[at])) {
                mantissa = mantissa * 10 + (b[at++] - '0');
            }
            if (at == from) {
                return Double.NaN;
            }
            digits += at - from;
            exponent = from - at;
        }
        boolean longExponent = false;
        if (at < b.length && (b[at] == 'e' || b[at] == 'E')) {
            integer = false;
            at++;
            boolean down = at < b.length && b[at] == '-';
            if (at < b.length && (b[at] == '-' || b[at] == '+')) {
                at++;
            }
            int from = at;
            int e = 0;
            while (at < b.length && isDigit(b[at])) {
                e = e * 10 + (b[at++] - '0');
            }
            if (at == from) {
                return Double.NaN;
            }
            longExponent = at - from > 4;
            exponent += down ? -e : e;
        }
        if (at - start > InputLimits.MAX_NUMBER_CHARS) {
            return Double.NaN;
        }
        double v;
        if (digits > 18 || longExponent || mantissa >= EXACT_MANTISSA || exponent < -22 || exponent > 22) {
            // past the exact path: the JDK's parser rounds correctly, as Jackson's does (and as its long and
            // BigInteger nodes round an integer to the nearest double)
            v = Double.parseDouble(new String(b, start, at - start, StandardCharsets.ISO_8859_1));
        } else {
            double magnitude = exponent >= 0 ? mantissa * POWERS[exponent] : mantissa / POWERS[-exponent];
            v = negative ? -magnitude : magnitude;
        }
        // Jackson reads "-0" as the integer 0, and "-0.0" as the double -0.0
        return integer ? v + 0.0 : v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
