package io.seqclust.audio;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * seqclust's log-mel features equal an independent numpy computation ({@code logmel_reference.py}) on the same
 * WAV files, frame for frame and band for band: synthetic chirps and tones at several rates, with silence to
 * crop, and a spoken word when espeak-ng is installed. Needs Debian's python3 with numpy ({@code .ci/run}
 * installs it); skipped, saying so, without it.
 */
class ReferenceFeaturesTest {

    private static final String PYTHON = "/usr/bin/python3";
    @TempDir
    static Path dir;
    private static Path script;
    private static Map<String, Path> clips;

    @BeforeAll
    static void clips() throws Exception {
        Assumptions.assumeTrue(hasNumpy(), PYTHON + " with numpy is not installed (Debian: python3-numpy): "
                + "the features are not compared with the reference here");
        script = dir.resolve("logmel_reference.py");
        try (var in = ReferenceFeaturesTest.class.getResourceAsStream("/audio/logmel_reference.py")) {
            Files.copy(in, script);
        }
        clips = new java.util.LinkedHashMap<>();
        clips.put("chirp-8k", write(dir, "chirp-8k", Tones.chirp(200, 3500, 0.4, 0.7, 8000), 8000));
        clips.put("chirp-44k", write(dir, "chirp-44k", Tones.chirp(3000, 300, 0.2, 0.5, 44100), 44100));
        clips.put("padded-tone-16k", write(dir, "padded-tone-16k",
                Tones.padded(Tones.tone(880, 0.3, 0.3, 16000), 0.25, 0.4, 16000), 16000));
        clips.put("short-22k", write(dir, "short-22k", Tones.tone(440, 0.5, 0.01, 22050), 22050));
        Path word = dir.resolve("word.wav");
        if (new File("/usr/bin/espeak-ng").canExecute()
                && new ProcessBuilder("/usr/bin/espeak-ng", "-w", word.toString(), "seven").start().waitFor() == 0) {
            clips.put("espeak-seven", word);
        }
    }

    @ParameterizedTest
    @EnumSource(AudioSettings.Normalisation.class)
    void featuresEqualTheNumpyReference(AudioSettings.Normalisation normalisation) throws Exception {
        AudioSettings d = AudioSettings.DEFAULTS;
        AudioSettings s = new AudioSettings(d.windowMs(), d.hopMs(), d.bands(), d.minHz(), d.maxHz(), d.trimDb(),
                d.silenceDb(), normalisation, d.minRate(), d.maxRate(), d.maxSeconds());
        for (var clip : clips.entrySet()) {
            double[][] ours = new AudioFeatures(s).of(Wav.decode(Files.readAllBytes(clip.getValue())));
            double[][] reference = reference(clip.getValue(), s);
            assertEquals(reference.length, ours.length, clip.getKey() + ": frames");
            double worst = 0;
            for (int t = 0; t < ours.length; t++) {
                assertEquals(reference[t].length, ours[t].length);
                for (int b = 0; b < ours[t].length; b++) {
                    worst = Math.max(worst, Math.abs(ours[t][b] - reference[t][b]));
                }
            }
            assertEquals(0, worst, 1e-6, clip.getKey() + " (" + normalisation + "): largest difference");
        }
    }

    private static double[][] reference(Path wav, AudioSettings s) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), wav.toString()));
        for (double v : new double[] {s.windowMs(), s.hopMs(), s.bands(), s.minHz(), s.maxHz(), s.trimDb()}) {
            cmd.add(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
        }
        cmd.add(s.normalisation().name());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "the reference script failed");
        return new ObjectMapper().readValue(out, double[][].class);
    }

    private static Path write(Path dir, String name, float[] samples, int rate) throws IOException {
        return Files.write(dir.resolve(name + ".wav"), Wav.encode(samples, rate));
    }

    private static boolean hasNumpy() {
        try {
            return new File(PYTHON).canExecute()
                    && new ProcessBuilder(PYTHON, "-c", "import numpy").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
