package io.seqclust.audio;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InputLimits;
import io.seqclust.ingest.InvalidSequenceException;
import io.seqclust.ingest.Sequence;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both audio forms give the same sequence; every kind of bad audio gets its code and a message that says why. */
class AudioParserTest {

    private static final InputLimits LIMITS = new InputLimits(1_000_000, 10_000, 1000, 256, 1e12, 8, 16384);
    private final AudioParser parser = new AudioParser(LIMITS, AudioSettings.DEFAULTS);
    private final float[] clip = Tones.padded(Tones.chirp(300, 2500, 0.4, 0.5, 16000), 0.1, 0.1, 16000);
    private final byte[] wav = Wav.encode(clip, 16000);

    @Test
    void aWavFileBecomesItsLogMelSequenceUnderItsKey() throws InvalidSequenceException {
        Sequence s = parser.parse(key("clip-1"), wav);
        assertEquals("clip-1", s.id());
        assertNull(s.source());
        assertNull(s.timestamp());
        assertEquals(20, s.dims());
        // 25 ms frames every 10 ms that overlap the 0.5 s of sound: about 52 (the 0.1 s of silence either side cropped)
        assertTrue(Math.abs(s.steps() - 52) <= 2, "frames: " + s.steps());
    }

    @Test
    void theJsonFormsGiveTheSameSequence() throws InvalidSequenceException {
        double[][] fromWav = parser.parse(key("a"), wav).values();
        byte[] pcm = Arrays.copyOfRange(wav, 44, wav.length);
        Sequence raw = parser.parse(key("a"), json("{\"encoding\":\"pcm_s16le\",\"sampleRate\":16000,\"source\":\"mic-3\","
                + "\"timestamp\":1700000000000,\"data\":\"" + Base64.getEncoder().encodeToString(pcm) + "\"}"));
        Sequence wrapped = parser.parse(key("a"), json("{\"encoding\":\"wav\",\"data\":\""
                + Base64.getEncoder().encodeToString(wav) + "\"}"));
        assertEquals("mic-3", raw.source());
        assertEquals(1700000000000L, raw.timestamp());
        assertArrayEquals(fromWav, raw.values());
        assertArrayEquals(fromWav, wrapped.values());
    }

    @Test
    void notAudio() {
        assertCode(ErrorCode.NOT_AUDIO, "neither a WAV file", key("k"), "hello".getBytes(StandardCharsets.UTF_8));
        byte[] notWave = wav.clone();
        notWave[8] = 'A';
        assertCode(ErrorCode.NOT_AUDIO, "RIFF header with format WAVE", key("k"), notWave);
        assertCode(ErrorCode.NOT_AUDIO, "2 channels", key("k"), withFmt(wav, 22, 2));
        assertCode(ErrorCode.NOT_AUDIO, "8-bit", key("k"), withFmt(wav, 34, 8));
        assertCode(ErrorCode.NOT_AUDIO, "format tag 3", key("k"), withFmt(wav, 20, 3));
    }

    @Test
    void truncatedAudio() {
        assertCode(ErrorCode.TRUNCATED, "declares", key("k"), Arrays.copyOf(wav, wav.length - 100));
        assertCode(ErrorCode.TRUNCATED, "fmt chunk is cut short", key("k"), Arrays.copyOf(wav, 30));
        assertCode(ErrorCode.TRUNCATED, "odd count", key("k"), json("{\"encoding\":\"pcm_s16le\",\"sampleRate\":16000,\"data\":\""
                + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"}"));
    }

    @Test
    void ratesOutsideTheAllowedRange() {
        assertCode(ErrorCode.AUDIO_RATE, "4000 Hz", key("k"), Wav.encode(Tones.tone(440, 0.5, 0.5, 4000), 4000));
        assertCode(ErrorCode.AUDIO_RATE, "96000 Hz", key("k"), Wav.encode(Tones.tone(440, 0.5, 0.5, 96000), 96000));
    }

    @Test
    void silenceTooLongAndEmpty() {
        assertCode(ErrorCode.SILENT, "silence only", key("k"), Wav.encode(new float[8000], 16000));
        assertCode(ErrorCode.TOO_LONG, "max-seconds", key("k"), Wav.encode(Tones.tone(440, 0.5, 10.5, 8000), 8000));
        assertCode(ErrorCode.EMPTY, "no samples", key("k"), Wav.encode(new float[0], 16000));
        assertCode(ErrorCode.EMPTY, "empty record", key("k"), new byte[0]);
        assertCode(ErrorCode.TOO_LARGE, "record-bytes", key("k"), new byte[1_000_001]);
    }

    @Test
    void badJsonAudio() {
        assertCode(ErrorCode.SCHEMA, "has none", null, wav);
        assertCode(ErrorCode.BAD_JSON, "not valid JSON", key("k"), json("{\"encoding\":"));
        assertCode(ErrorCode.SCHEMA, "sampleRate", key("k"), json("{\"encoding\":\"pcm_s16le\",\"data\":\"AAAA\"}"));
        assertCode(ErrorCode.SCHEMA, "audio.schema.json", key("k"), json("{\"encoding\":\"mp3\",\"data\":\"AAAA\"}"));
        assertCode(ErrorCode.SCHEMA, "base64", key("k"), json("{\"encoding\":\"pcm_s16le\",\"sampleRate\":16000,\"data\":\"*\"}"));
        assertCode(ErrorCode.SCHEMA, "differs from the WAV file's rate", key("k"), json("{\"encoding\":\"wav\",\"sampleRate\":8000,\"data\":\""
                + Base64.getEncoder().encodeToString(wav) + "\"}"));
    }

    @Test
    void otherChunksAreSkippedAndExtensiblePcmIsRead() throws InvalidSequenceException {
        // a LIST chunk of 6 bytes between fmt and data, as many editors write
        byte[] list = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN).put("LIST".getBytes(StandardCharsets.US_ASCII))
                .putInt(6).put(new byte[6]).array();
        byte[] withList = new byte[wav.length + list.length];
        System.arraycopy(wav, 0, withList, 0, 36);
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(wav, 36, withList, 36 + list.length, wav.length - 36);
        assertArrayEquals(parser.parse(key("a"), wav).values(), parser.parse(key("a"), withList).values());
    }

    private void assertCode(ErrorCode code, String says, byte[] key, byte[] value) {
        InvalidSequenceException e = assertThrows(InvalidSequenceException.class, () -> parser.parse(key, value));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    private static byte[] withFmt(byte[] wav, int offset, int value) {
        byte[] out = wav.clone();
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >> 8);
        return out;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
