package io.seqclust.demo;

import io.seqclust.audio.Wav;

import java.util.Random;

/**
 * Synthetic labelled clips for {@code seqclust.demo.kind=audio}: a few kinds of sound, each drawn with its own
 * pitch, length, loudness, sample rate (8 to 44.1 kHz) and silence before and after, plus a little noise, so
 * that only the sound's shape in time and frequency tells the kinds apart. Not thread-safe.
 */
public final class AudioDemo {

    /** The kinds of sound, in label order. */
    public static final String[] SOUNDS = {"rising", "falling", "warble", "pulses", "vowel", "hiss"};
    private static final int[] RATES = {8000, 16000, 22050, 44100};

    /** A generated clip and its true kind (which only ever scores, never trains). */
    public record Clip(int label, float[] samples, int sampleRate) {
        public String sound() {
            return SOUNDS[label];
        }

        public byte[] wav() {
            return Wav.encode(samples, sampleRate);
        }
    }

    private final Random random;
    private final int classes;

    public AudioDemo(long seed, int classes) {
        if (classes < 1 || classes > SOUNDS.length) {
            throw new IllegalArgumentException("the audio demo has 1 to " + SOUNDS.length + " kinds of sound, not " + classes);
        }
        this.random = new Random(seed);
        this.classes = classes;
    }

    public Clip next() {
        int label = random.nextInt(classes);
        int rate = RATES[random.nextInt(RATES.length)];
        double seconds = 0.4 + 0.5 * random.nextDouble();
        double pitch = 250 * Math.pow(2, random.nextDouble()); // 250 to 500 Hz
        double loudness = 0.1 + 0.5 * random.nextDouble();
        int lead = (int) (rate * 0.3 * random.nextDouble());
        int body = (int) (rate * seconds);
        float[] x = new float[lead + body + (int) (rate * 0.3 * random.nextDouble())];
        double phase = 0;
        for (int n = 0; n < body; n++) {
            double t = n / (double) body; // 0 .. 1 through the sound
            double hz = frequency(label, pitch, t);
            phase += 2 * Math.PI * hz / rate;
            x[lead + n] = (float) (loudness * envelope(label, t) * wave(label, phase) + 0.003 * random.nextGaussian());
        }
        return new Clip(label, x, rate);
    }

    /** Instantaneous frequency of the sound at {@code t} (0..1 through it). */
    private static double frequency(int label, double pitch, double t) {
        return switch (label) {
            case 0 -> pitch * (1 + 2 * t);
            case 1 -> pitch * (3 - 2 * t);
            case 2 -> pitch * (t * 8 % 1 < 0.5 ? 1.5 : 2.5);
            default -> pitch;
        };
    }

    private double wave(int label, double phase) {
        return switch (label) {
            // a vowel-like tone: the pitch's harmonics, strongest around 700 and 1,200 Hz
            case 4 -> 0.6 * Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.4 * Math.sin(3 * phase) + 0.3 * Math.sin(4 * phase);
            case 5 -> random.nextGaussian() * 0.5;
            default -> Math.sin(phase);
        };
    }

    private static double envelope(int label, double t) {
        double fade = Math.min(1, Math.min(t, 1 - t) * 20);
        return switch (label) {
            case 3 -> t * 3 % 1 < 0.4 ? fade : 0; // three short beeps
            case 5 -> fade * Math.exp(-4 * t);
            default -> fade;
        };
    }
}
