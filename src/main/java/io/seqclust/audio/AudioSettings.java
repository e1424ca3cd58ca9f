package io.seqclust.audio;

/**
 * How audio becomes a sequence and which audio is taken: {@code seqclust.audio.*}. The defaults follow what
 * the RDDC paper did for Speech Commands (25 ms windows every 10 ms, log-mel energies) and reach 4 kHz, so
 * that audio of every allowed rate (8 kHz and up) gives the same bands.
 *
 * @param windowMs      analysis window
 * @param hopMs         step between windows: one time step of the sequence
 * @param bands         mel bands: D of the sequence
 * @param minHz         lower edge of the lowest band
 * @param maxHz         upper edge of the highest band
 * @param trimDb        leading and trailing frames quieter than the loudest frame by more than this are cropped
 * @param silenceDb     a clip whose loudest frame is below this (dB relative to full scale) is silence: SILENT
 * @param normalisation per-utterance normalisation of the log-mel energies
 * @param minRate       slowest sample rate taken (Hz)
 * @param maxRate       fastest sample rate taken (Hz)
 * @param maxSeconds    longest clip taken, before cropping
 */
public record AudioSettings(double windowMs, double hopMs, int bands, double minHz, double maxHz, double trimDb,
                            double silenceDb, Normalisation normalisation, int minRate, int maxRate, double maxSeconds) {

    public enum Normalisation { band, utterance, none }

    public static final String WINDOW_MS = "25";
    public static final String HOP_MS = "10";
    public static final String BANDS = "20";
    public static final String MIN_HZ = "20";
    public static final String MAX_HZ = "4000";
    public static final String TRIM_DB = "40";
    public static final String SILENCE_DB = "-60";
    public static final String NORMALISATION = "utterance";
    public static final String MIN_RATE = "8000";
    public static final String MAX_RATE = "48000";
    public static final String MAX_SECONDS = "10";

    public static final AudioSettings DEFAULTS = new AudioSettings(Double.parseDouble(WINDOW_MS),
            Double.parseDouble(HOP_MS), Integer.parseInt(BANDS), Double.parseDouble(MIN_HZ), Double.parseDouble(MAX_HZ),
            Double.parseDouble(TRIM_DB), Double.parseDouble(SILENCE_DB), Normalisation.valueOf(NORMALISATION),
            Integer.parseInt(MIN_RATE), Integer.parseInt(MAX_RATE), Double.parseDouble(MAX_SECONDS));

    public AudioSettings {
        if (!(windowMs > 0 && hopMs > 0 && bands >= 1 && minHz >= 0 && maxHz > minHz && trimDb > 0 && maxSeconds > 0
                && minRate >= 1 && maxRate >= minRate)) {
            throw new IllegalArgumentException("audio settings out of range: " + this);
        }
        if (maxHz > minRate / 2.0) {
            throw new IllegalArgumentException("seqclust.audio.max-hz = " + maxHz + " is above the Nyquist frequency ("
                    + minRate / 2.0 + " Hz) of seqclust.audio.min-rate = " + minRate
                    + ": clips at that rate would have no energy in the top bands");
        }
    }
}
