package io.seqclust.audio;

import io.seqclust.ingest.ErrorCode;
import io.seqclust.ingest.InvalidSequenceException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A clip → its {@code T × D} sequence: frames of {@code window-ms} every {@code hop-ms}, leading and trailing
 * silence cropped, the log-mel energy of each remaining frame in {@code bands} bands, normalised per utterance.
 * Thread-safe.
 */
public final class AudioFeatures {

    private record BankKey(int fftSize, int sampleRate) {
    }

    private final AudioSettings settings;
    private final Map<BankKey, MelFilterbank> banks = new ConcurrentHashMap<>();
    private final Map<Integer, double[]> windows = new ConcurrentHashMap<>();

    public AudioFeatures(AudioSettings settings) {
        this.settings = settings;
    }

    public AudioSettings settings() {
        return settings;
    }

    /** @throws InvalidSequenceException EMPTY for a clip of no samples, SILENT when no frame reaches silence-db */
    public double[][] of(Pcm pcm) throws InvalidSequenceException {
        float[] x = pcm.samples();
        if (x.length == 0) {
            throw new InvalidSequenceException(ErrorCode.EMPTY, "the clip has no samples");
        }
        int length = Math.max(1, (int) Math.round(settings.windowMs() * pcm.sampleRate() / 1000));
        int hop = Math.max(1, (int) Math.round(settings.hopMs() * pcm.sampleRate() / 1000));
        int frames = LogMel.frameCount(x.length, length, hop);
        double[] db = new double[frames];
        double loudest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < frames; i++) {
            db[i] = LogMel.energyDb(LogMel.frame(x, i, length, hop));
            loudest = Math.max(loudest, db[i]);
        }
        if (loudest < settings.silenceDb()) {
            throw new InvalidSequenceException(ErrorCode.SILENT, String.format(
                    "silence only: the loudest %.0f ms frame is at %.1f dBFS, below seqclust.audio.silence-db = %.1f",
                    settings.windowMs(), loudest, settings.silenceDb()));
        }
        int[] voiced = LogMel.voiced(db, settings.trimDb());
        int fftSize = LogMel.fftSize(length);
        MelFilterbank bank = banks.computeIfAbsent(new BankKey(fftSize, pcm.sampleRate()), k ->
                MelFilterbank.of(settings.bands(), k.fftSize(), k.sampleRate(), settings.minHz(), settings.maxHz()));
        double[] window = windows.computeIfAbsent(length, LogMel::hann);
        double[][] out = new double[voiced[1] - voiced[0] + 1][];
        for (int i = voiced[0]; i <= voiced[1]; i++) {
            double[] power = LogMel.powerSpectrum(LogMel.frame(x, i, length, hop), window, fftSize);
            out[i - voiced[0]] = LogMel.log(bank.apply(power));
        }
        LogMel.normalise(out, settings.normalisation());
        return out;
    }
}
