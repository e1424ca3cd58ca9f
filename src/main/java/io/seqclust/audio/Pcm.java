package io.seqclust.audio;

/**
 * Mono audio: samples scaled to [-1, 1) (16-bit PCM divided by 32768) at {@code sampleRate} per second.
 */
public record Pcm(float[] samples, int sampleRate) {

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** Little-endian signed 16-bit samples, as WAV's data chunk and the JSON form's {@code pcm_s16le} hold them. */
    static float[] fromS16le(byte[] bytes, int offset, int length) {
        float[] out = new float[length / 2];
        for (int i = 0; i < out.length; i++) {
            int lo = bytes[offset + 2 * i] & 0xff;
            int hi = bytes[offset + 2 * i + 1];
            out[i] = ((hi << 8) | lo) / 32768f;
        }
        return out;
    }
}
