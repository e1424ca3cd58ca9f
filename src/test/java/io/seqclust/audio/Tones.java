package io.seqclust.audio;

/** Synthetic clips for the audio tests: tones, chirps, silence. */
final class Tones {

    private Tones() {
    }

    static float[] tone(double hz, double amplitude, double seconds, int rate) {
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int n = 0; n < x.length; n++) {
            x[n] = (float) (amplitude * Math.sin(2 * Math.PI * hz * n / rate));
        }
        return x;
    }

    /** A linear chirp from {@code fromHz} to {@code toHz}. */
    static float[] chirp(double fromHz, double toHz, double amplitude, double seconds, int rate) {
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int n = 0; n < x.length; n++) {
            double t = (double) n / rate;
            x[n] = (float) (amplitude * Math.sin(2 * Math.PI * (fromHz * t + (toHz - fromHz) * t * t / (2 * seconds))));
        }
        return x;
    }

    /** {@code before} seconds of silence, the clip, {@code after} seconds of silence. */
    static float[] padded(float[] clip, double before, double after, int rate) {
        int lead = (int) Math.round(before * rate);
        float[] x = new float[lead + clip.length + (int) Math.round(after * rate)];
        System.arraycopy(clip, 0, x, lead, clip.length);
        return x;
    }

    static byte[] wav(float[] samples, int rate) {
        return Wav.encode(samples, rate);
    }
}
