package io.seqclust.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real speech for the audio tests: words spoken by espeak-ng in several voices, speeds and pitches, turned by sox
 * into WAV files of several sample rates with silence before and after. Both are Debian packages that
 * {@code .ci/run} installs.
 */
final class SpokenWords {

    /** The first five words of Speech Commands, the set the RDDC paper clusters. */
    static final List<String> WORDS = List.of("yes", "no", "up", "down", "left");
    static final List<String> VOICES = List.of("en-us", "en-gb+f2", "en-gb-scotland+m3", "en-029+f4", "en-us-nyc+m5");
    static final int[] SPEEDS = {120, 170};
    static final int[] PITCHES = {30, 70};
    static final int[] RATES = {8000, 16000, 22050, 44100};

    record Clip(String word, String voice, int speed, int pitch, int rate, byte[] wav) {
    }

    private SpokenWords() {
    }

    /** Why the clips cannot be made here, or null when espeak-ng and sox are both installed. */
    static String missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("espeak-ng", "sox")) {
            if (!new File("/usr/bin/" + tool).canExecute()) {
                missing.add(tool);
            }
        }
        return missing.isEmpty() ? null : String.join(" and ", missing) + " not installed (Debian packages espeak-ng, sox)";
    }

    /** Every word in every voice, speed and pitch: the rate and the silence before it vary from clip to clip. */
    static List<Clip> all(Path dir) throws IOException, InterruptedException {
        List<Clip> out = new ArrayList<>();
        Path raw = dir.resolve("raw.wav");
        Path wav = dir.resolve("clip.wav");
        int i = 0;
        for (String word : WORDS) {
            for (String voice : VOICES) {
                for (int speed : SPEEDS) {
                    for (int pitch : PITCHES) {
                        int rate = RATES[i % RATES.length];
                        run("espeak-ng", "-v", voice, "-s", Integer.toString(speed), "-p", Integer.toString(pitch),
                                "-w", raw.toString(), word);
                        run("sox", raw.toString(), "-r", Integer.toString(rate), wav.toString(),
                                "pad", "0." + (i % 3), "0.2");
                        out.add(new Clip(word, voice, speed, pitch, rate, Files.readAllBytes(wav)));
                        i++;
                    }
                }
            }
        }
        return out;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
