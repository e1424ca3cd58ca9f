package io.seqclust.audio;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InvalidSequenceException;

import java.nio.charset.StandardCharsets;

/**
 * Reads a RIFF/WAVE file of 16-bit PCM, mono — the one WAV form seqclust takes — and writes one (tests and the
 * demo produce them). Chunks other than {@code fmt } and {@code data} are skipped; WAVE_FORMAT_EXTENSIBLE is
 * read when its sub-format is PCM.
 */
public final class Wav {

    private static final int PCM = 1;
    private static final int EXTENSIBLE = 0xFFFE;
    private static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /** Whether the bytes start as a WAV file does: the JSON form is told apart by this. */
    public static boolean looksLikeWav(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F';
    }

    /**
     * @throws InvalidSequenceException NOT_AUDIO when it is no RIFF/WAVE or not 16-bit PCM mono, TRUNCATED when a
     *                                  chunk runs past the end of the bytes
     */
    public static Pcm decode(byte[] bytes) throws InvalidSequenceException {
        if (bytes.length < 12 || !looksLikeWav(bytes) || !"WAVE".equals(ascii(bytes, 8))) {
            throw new InvalidSequenceException(ErrorCode.NOT_AUDIO, "not a WAV file: a RIFF header with format WAVE expected");
        }
        int rate = -1;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = ascii(bytes, pos);
            long size = u32(bytes, pos + 4);
            int body = pos + 8;
            if ("fmt ".equals(id)) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new InvalidSequenceException(ErrorCode.TRUNCATED, "the WAV fmt chunk is cut short");
                }
                rate = checkFormat(bytes, body, size);
            } else if ("data".equals(id)) {
                if (rate < 0) {
                    throw new InvalidSequenceException(ErrorCode.NOT_AUDIO, "the WAV data chunk comes before any fmt chunk");
                }
                long present = bytes.length - body;
                if (size > present || size % 2 != 0) {
                    throw new InvalidSequenceException(ErrorCode.TRUNCATED, "the WAV data chunk declares " + size
                            + " bytes of 16-bit samples but " + Math.min(size, present) + " are there"
                            + (size % 2 != 0 ? " (an odd count)" : ""));
                }
                return new Pcm(Pcm.fromS16le(bytes, body, (int) size), rate);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new InvalidSequenceException(rate < 0 ? ErrorCode.NOT_AUDIO : ErrorCode.TRUNCATED,
                rate < 0 ? "a WAV file without a fmt chunk" : "a WAV file without a data chunk");
    }

    /** @return the sample rate */
    private static int checkFormat(byte[] b, int at, long size) throws InvalidSequenceException {
        int format = u16(b, at);
        int channels = u16(b, at + 2);
        long rate = u32(b, at + 4);
        int bits = u16(b, at + 14);
        if (format == EXTENSIBLE && size >= 40 && at + 26 <= b.length) {
            format = u16(b, at + 24); // the sub-format GUID's first two bytes
        }
        if (format != PCM) {
            throw new InvalidSequenceException(ErrorCode.NOT_AUDIO, "WAV format tag " + format + ": only PCM (1) is read");
        }
        if (bits != 16) {
            throw new InvalidSequenceException(ErrorCode.NOT_AUDIO, "WAV of " + bits + "-bit samples: only 16-bit PCM is read");
        }
        if (channels != 1) {
            throw new InvalidSequenceException(ErrorCode.NOT_AUDIO, "WAV of " + channels + " channels: only mono is read");
        }
        if (rate <= 0 || rate > Integer.MAX_VALUE) {
            throw new InvalidSequenceException(ErrorCode.AUDIO_RATE, "WAV sample rate " + rate + " is not a rate");
        }
        return (int) rate;
    }

    /** A 16-bit PCM mono WAV file of the samples (clipped to [-1, 1]). */
    public static byte[] encode(float[] samples, int sampleRate) {
        int dataBytes = samples.length * 2;
        byte[] out = new byte[HEADER_BYTES + dataBytes];
        putAscii(out, 0, "RIFF");
        putU32(out, 4, 36 + dataBytes);
        putAscii(out, 8, "WAVE");
        putAscii(out, 12, "fmt ");
        putU32(out, 16, 16);
        putU16(out, 20, PCM);
        putU16(out, 22, 1);
        putU32(out, 24, sampleRate);
        putU32(out, 28, sampleRate * 2L);
        putU16(out, 32, 2);
        putU16(out, 34, 16);
        putAscii(out, 36, "data");
        putU32(out, 40, dataBytes);
        for (int i = 0; i < samples.length; i++) {
            int s = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            out[HEADER_BYTES + 2 * i] = (byte) s;
            out[HEADER_BYTES + 2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void putAscii(byte[] b, int at, String s) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) s.charAt(i);
        }
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static void putU32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
    }
}
