package io.seqclust.cli;

import io.seqclust.evaluation.LabelledSet;
import io.seqclust.clustering.Dtcr;
import io.seqclust.model.Adam;
import io.seqclust.model.DtcrNetwork;
import io.seqclust.model.SequenceDecoder;
import io.seqclust.model.EncoderEngine;
import io.seqclust.model.Gru;
import io.seqclust.model.RddcNetwork;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code bench}: training-step speed of RDDC in this process, and its resident memory over many
 * steps. Prints ratios against the PyTorch reference times measured on this machine's CPU.
 */
public final class Bench {

    /** PyTorch 1.13, 1 thread, on this machine's CPU (the RDDC issue): ms per step. */
    private static final double PYTORCH_SYNTHETIC_MS = 980;
    private static final double PYTORCH_JAPANESE_VOWELS_MS = 70;

    private Bench() {
    }

    public static void run(Args args) throws Exception {
        int steps = args.integer("steps", 30);
        int memorySteps = args.integer("memory-steps", 0);
        Random r = new Random(1);
        List<double[][]> synthetic = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double[][] x = new double[50 + r.nextInt(51)][2];
            for (double[] row : x) {
                row[0] = r.nextGaussian();
                row[1] = r.nextGaussian();
            }
            synthetic.add(x);
        }
        System.out.printf("threads: %d%n", Runtime.getRuntime().availableProcessors());
        List<EncoderEngine.Kind> engines = args.has("engine")
                ? List.of(EncoderEngine.Kind.valueOf(args.string("engine", "")))
                : List.of(EncoderEngine.Kind.java, EncoderEngine.Kind.nd4j);
        report("synthetic B=100, T=50..100, D=2, k=4", synthetic, 4, steps, PYTORCH_SYNTHETIC_MS, engines);
        List<double[][]> dtcrBatch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            double[][] x = new double[140 + r.nextInt(21)][1];
            for (double[] row : x) {
                row[0] = r.nextGaussian();
            }
            dtcrBatch.add(x);
        }
        // the baseline: the first engine, teacher-forced; free-running runs on the Java engine only
        double baselineMs = Double.NaN;
        for (EncoderEngine.Kind engine : engines) {
            for (SequenceDecoder.Feed feed : SequenceDecoder.Feed.values()) {
                if (feed == SequenceDecoder.Feed.FREE_RUNNING && engine.resolve() != EncoderEngine.Kind.java) {
                    continue;
                }
                double ms = msPerStep(dtcrStep(dtcrBatch, feed, engine), steps);
                baselineMs = Double.isNaN(baselineMs) ? ms : baselineMs;
                System.out.printf("dtcr, B=64 real + 64 fake, T=140..160, D=1, k=4, units [50,30,30], dilations [1,4,16], %s engine,"
                                + " %s decoder: %.1f ms/step, %.0f real sequences/s; %.2fx the time of %s/%s%n",
                        engine, feed, ms, dtcrBatch.size() * 1000 / ms, ms / baselineMs, engines.get(0), SequenceDecoder.Feed.TEACHER_FORCING);
            }
        }
        Path data = Path.of(args.string("data", "../shared/datasets"));
        List<double[][]> jv = null;
        if (Files.isDirectory(data.resolve("JapaneseVowels"))) {
            jv = LabelledSet.read(data, "JapaneseVowels").sequences().subList(0, 100);
            report("JapaneseVowels B=100, T=7..29, D=12, k=9", jv, 9, steps, PYTORCH_JAPANESE_VOWELS_MS, engines);
        } else {
            System.out.println("JapaneseVowels not found under " + data + " (--data DIR): skipped");
        }
        if (memorySteps > 0) {
            // run the JVM with -Xms equal to -Xmx and -XX:+AlwaysPreTouch, so that RSS moves only with native memory
            boolean real = jv != null && !args.has("memory-synthetic");
            List<double[][]> batch = real ? jv : synthetic;
            if (!args.string("memory-model", "rddc").equals("dtcr")) {
                for (EncoderEngine.Kind engine : engines) {
                    System.out.printf("memory, rddc, %s engine: %d training steps on the %s batch%n", engine, memorySteps,
                            real ? "JapaneseVowels" : "synthetic");
                    RddcNetwork net = new RddcNetwork(batch.get(0)[0].length, real ? 9 : 4, 32, 2, 100, new Random(3), engine, Gru.Init.he);
                    Adam adam = new Adam(net.params(), 1e-3);
                    memory(() -> step(net, adam, batch), memorySteps);
                }
            } else {
                // a smaller batch than the timed one, so that 2,000 steps take minutes: memory does not depend on it
                List<double[][]> small = dtcrBatch.subList(0, 16).stream().map(x -> java.util.Arrays.copyOf(x, 50)).toList();
                System.out.printf("memory, dtcr: %d training steps on a synthetic 16 + 16 batch, T = 50%n", memorySteps);
                for (EncoderEngine.Kind engine : engines) {
                    System.out.printf("memory, dtcr, %s engine%n", engine);
                    memory(dtcrStep(small, Dtcr.Settings.defaults(4).decoder(), engine), memorySteps);
                }
            }
        }
    }

    /** Times each engine on the same batch; the first engine is the baseline the others are compared with. */
    private static void report(String what, List<double[][]> batch, int k, int steps, double pytorchMs,
                               List<EncoderEngine.Kind> engines) {
        double baseline = Double.NaN;
        for (EncoderEngine.Kind engine : engines) {
            RddcNetwork net = new RddcNetwork(batch.get(0)[0].length, k, 32, 2, 100, new Random(2), engine, Gru.Init.he);
            Adam adam = new Adam(net.params(), 1e-3);
            double ms = msPerStep(() -> step(net, adam, batch), steps);
            if (Double.isNaN(baseline)) {
                baseline = ms;
            }
            System.out.printf("%s, %s engine: %.1f ms/step, %.0f sequences/s; PyTorch reference %.0f ms/step: %.2fx as fast%s%n",
                    what, engine, ms, batch.size() * 1000 / ms, pytorchMs, pytorchMs / ms,
                    ms == baseline ? "" : String.format("; %s engine %.2fx as fast", engines.get(0), ms / baseline));
        }
    }

    private static void memory(Runnable step, int steps) throws Exception {
        long rssAt100 = 0;
        for (int i = 1; i <= steps; i++) {
            step.run();
            if (i == 100 || i % 500 == 0 || i == steps) {
                long rss = rssKb();
                if (i == 100) {
                    rssAt100 = rss;
                }
                System.out.printf("step %d: RSS %d MB%s%n", i, rss / 1024,
                        rssAt100 > 0 ? String.format(" (%+.1f %% since step 100)", 100.0 * (rss - rssAt100) / rssAt100) : "");
            }
        }
    }

    /** One DTCR training step (fresh fakes each time) on a network of the default shape. */
    private static Runnable dtcrStep(List<double[][]> batch, SequenceDecoder.Feed feed, EncoderEngine.Kind engine) {
        Dtcr.Settings d = Dtcr.Settings.defaults(4);
        Random random = new Random(4);
        DtcrNetwork net = new DtcrNetwork(1, 4, d.units(), d.dilations(), feed, engine, random);
        Adam adam = new Adam(net.params(), d.learningRate());
        return () -> {
            net.lossAndGradients(batch, d.lambda(), d.inputNoise(), random);
            Adam.clipGradNorm(net.params(), d.clipNorm());
            adam.step();
        };
    }

    /** Mean ms per step over {@code steps}, after a few untimed steps for the JIT. */
    private static double msPerStep(Runnable step, int steps) {
        for (int i = 0; i < 5; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
    }

    private static void time(String what, int batchSize, Runnable step, int steps) {
        double ms = msPerStep(step, steps);
        System.out.printf("%s: %.1f ms/step, %.0f real sequences/s%n", what, ms, batchSize * 1000 / ms);
    }

    private static void step(RddcNetwork net, Adam adam, List<double[][]> batch) {
        net.lossAndGradients(batch);
        Adam.clipGradNorm(net.params(), 5.0);
        adam.step();
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
