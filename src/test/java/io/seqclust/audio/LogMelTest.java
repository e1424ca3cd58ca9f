package io.seqclust.audio;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InvalidSequenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each step of the log-mel features against values derived by hand. */
class LogMelTest {

    @Test
    void theHannWindowSumsToHalfItsLength() {
        double sum = 0;
        for (double w : LogMel.hann(400)) {
            sum += w;
        }
        assertEquals(200, sum, 1e-9);
    }

    /**
     * A tone of exactly k0 cycles per frame, under a periodic Hann window: the spectrum has three lines,
     * X[k0] = A·N/4 and X[k0 ± 1] = -A·N/8 (the window's own three-line spectrum, shifted), nothing else.
     */
    @Test
    void aToneOfWholeCyclesHasTheHannWindowsThreeLines() {
        int n = 512;
        int k0 = 32;
        double a = 0.5;
        double[] frame = new double[n];
        for (int i = 0; i < n; i++) {
            frame[i] = a * Math.cos(2 * Math.PI * k0 * i / n);
        }
        double[] p = LogMel.powerSpectrum(frame, LogMel.hann(n), n);
        assertEquals(n / 2 + 1, p.length);
        assertEquals(Math.pow(a * n / 4, 2), p[k0], 1e-9);
        assertEquals(Math.pow(a * n / 8, 2), p[k0 - 1], 1e-9);
        assertEquals(Math.pow(a * n / 8, 2), p[k0 + 1], 1e-9);
        for (int k = 0; k < p.length; k++) {
            if (Math.abs(k - k0) > 1) {
                assertEquals(0, p[k], 1e-9, "bin " + k);
            }
        }
    }

    @Test
    void melScaleIsHtksAndInverts() {
        assertEquals(2595 * Math.log10(2), MelFilterbank.hzToMel(700), 1e-12);
        for (double hz : new double[] {0, 20, 440, 1000, 4000, 8000}) {
            assertEquals(hz, MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)), 1e-9);
        }
    }

    /** Each filter peaks at 1 on its centre and is zero outside its neighbours' centres. */
    @Test
    void filtersAreTrianglesBetweenTheirNeighboursCentres() {
        MelFilterbank bank = MelFilterbank.of(20, 4096, 16000, 20, 4000);
        double[] c = bank.centres();
        for (int m = 1; m < 19; m++) {
            for (int k = 0; k < bank.weights()[m].length; k++) {
                double f = k * 16000.0 / 4096;
                double w = bank.weights()[m][k];
                assertTrue(w >= 0 && w <= 1);
                if (f <= c[m - 1] || f >= c[m + 1]) {
                    assertEquals(0, w, 0, "band " + m + " at " + f + " Hz");
                }
            }
            int nearest = (int) Math.round(c[m] * 4096 / 16000);
            // the nearest bin is at most half a bin (1.95 Hz) from the centre
            assertEquals(1, bank.weights()[m][nearest], 16000.0 / 4096 / 2 / Math.min(c[m] - c[m - 1], c[m + 1] - c[m]) + 1e-9);
        }
    }

    /** A tone's loudest band is the one whose centre is nearest its frequency, at every accepted rate. */
    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 16000, 22050, 44100, 48000})
    void aTonesLoudestBandIsTheOneCentredNearIt(int rate) throws InvalidSequenceException {
        AudioFeatures features = new AudioFeatures(settings(AudioSettings.Normalisation.none));
        for (double hz : new double[] {300, 1000, 2500, 3500}) {
            double[][] x = features.of(new Pcm(Tones.tone(hz, 0.5, 0.5, rate), rate));
            double[] c = MelFilterbank.of(20, 1024, rate, 20, 4000).centres();
            int loudest = argmax(x[x.length / 2]);
            int nearest = 0;
            for (int m = 1; m < c.length; m++) {
                nearest = Math.abs(c[m] - hz) < Math.abs(c[nearest] - hz) ? m : nearest;
            }
            assertEquals(nearest, loudest, hz + " Hz");
        }
    }

    /**
     * Twice the amplitude is four times the energy: ln 4 more in every band, before normalisation; the same
     * after either normalisation. White noise, so that no band is near {@link LogMel#FLOOR} (which does not scale).
     */
    @Test
    void loudnessShiftsTheLogEnergiesAndNormalisationRemovesIt() throws InvalidSequenceException {
        java.util.Random random = new java.util.Random(1);
        float[] quiet = new float[9600];
        float[] loud = new float[quiet.length];
        for (int i = 0; i < quiet.length; i++) {
            quiet[i] = (float) (0.1 * random.nextGaussian());
            loud[i] = 2 * quiet[i];
        }
        double[][] q = new AudioFeatures(settings(AudioSettings.Normalisation.none)).of(new Pcm(quiet, 16000));
        double[][] l = new AudioFeatures(settings(AudioSettings.Normalisation.none)).of(new Pcm(loud, 16000));
        for (int t = 0; t < q.length; t++) {
            for (int d = 0; d < q[t].length; d++) {
                assertTrue(q[t][d] > Math.log(1e-6), "a band far above the floor");
                assertEquals(Math.log(4), l[t][d] - q[t][d], 1e-3);
            }
        }
        for (AudioSettings.Normalisation n : new AudioSettings.Normalisation[] {AudioSettings.Normalisation.band,
                AudioSettings.Normalisation.utterance}) {
            double[][] qn = new AudioFeatures(settings(n)).of(new Pcm(quiet, 16000));
            double[][] ln = new AudioFeatures(settings(n)).of(new Pcm(loud, 16000));
            for (int t = 0; t < qn.length; t++) {
                assertArrayEquals(qn[t], ln[t], 1e-3, n + " step " + t);
            }
        }
    }

    @Test
    void utteranceNormalisationLeavesMeanZeroAndUnitVariance() throws InvalidSequenceException {
        double[][] x = new AudioFeatures(settings(AudioSettings.Normalisation.utterance))
                .of(new Pcm(Tones.chirp(300, 2000, 0.3, 0.8, 16000), 16000));
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (double[] row : x) {
            for (double v : row) {
                sum += v;
                sq += v * v;
                n++;
            }
        }
        assertEquals(0, sum / n, 1e-9);
        assertEquals(1, sq / n, 1e-9);
    }

    /** 0.3 s before and 0.5 s after a 0.4 s tone are cropped: 10 ms steps, about 40 of them remain. */
    @Test
    void leadingAndTrailingSilenceIsCropped() throws InvalidSequenceException {
        AudioFeatures features = new AudioFeatures(settings(AudioSettings.Normalisation.utterance));
        float[] tone = Tones.tone(500, 0.5, 0.4, 16000);
        double[][] bare = features.of(new Pcm(tone, 16000));
        double[][] padded = features.of(new Pcm(Tones.padded(tone, 0.3, 0.5, 16000), 16000));
        assertTrue(Math.abs(bare.length - 38) <= 1, "frames of the bare tone: " + bare.length);
        assertTrue(Math.abs(padded.length - bare.length) <= 3, "frames with silence around: " + padded.length);
    }

    @Test
    void silenceIsRefused() {
        AudioFeatures features = new AudioFeatures(AudioSettings.DEFAULTS);
        InvalidSequenceException zeros = assertThrows(InvalidSequenceException.class,
                () -> features.of(new Pcm(new float[16000], 16000)));
        assertEquals(ErrorCode.SILENT, zeros.code());
        // -80 dBFS: below the -60 dB floor
        InvalidSequenceException faint = assertThrows(InvalidSequenceException.class,
                () -> features.of(new Pcm(Tones.tone(440, 1e-4, 1, 16000), 16000)));
        assertEquals(ErrorCode.SILENT, faint.code());
        assertEquals(ErrorCode.EMPTY, assertThrows(InvalidSequenceException.class,
                () -> features.of(new Pcm(new float[0], 16000))).code());
    }

    private static AudioSettings settings(AudioSettings.Normalisation n) {
        AudioSettings d = AudioSettings.DEFAULTS;
        return new AudioSettings(d.windowMs(), d.hopMs(), 20, d.minHz(), d.maxHz(), d.trimDb(), d.silenceDb(), n,
                d.minRate(), d.maxRate(), d.maxSeconds());
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            best = x[i] > x[best] ? i : best;
        }
        return best;
    }
}
