package io.seqclust.cli;

import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.Adam;
import io.seqclust.model.EncoderEngine;
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
            for (EncoderEngine.Kind engine : engines) {
                System.out.printf("memory, %s engine: %d training steps on the %s batch%n", engine, memorySteps,
                        real ? "JapaneseVowels" : "synthetic");
                memory(real ? jv : synthetic, real ? 9 : 4, memorySteps, engine);
            }
        }
    }

    /** Times each engine on the same batch; the first engine is the baseline the others are compared with. */
    private static void report(String what, List<double[][]> batch, int k, int steps, double pytorchMs,
                               List<EncoderEngine.Kind> engines) {
        double baseline = Double.NaN;
        for (EncoderEngine.Kind engine : engines) {
            RddcNetwork net = new RddcNetwork(batch.get(0)[0].length, k, 32, 2, 100, new Random(2), engine);
            Adam adam = new Adam(net.params(), 1e-3);
            for (int i = 0; i < 5; i++) {
                step(net, adam, batch);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(net, adam, batch);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / steps;
            if (Double.isNaN(baseline)) {
                baseline = ms;
            }
            System.out.printf("%s, %s engine: %.1f ms/step, %.0f sequences/s; PyTorch reference %.0f ms/step: %.2fx as fast%s%n",
                    what, engine, ms, batch.size() * 1000 / ms, pytorchMs, pytorchMs / ms,
                    ms == baseline ? "" : String.format("; %s engine %.2fx as fast", engines.get(0), ms / baseline));
        }
    }

    private static void memory(List<double[][]> batch, int k, int steps, EncoderEngine.Kind engine) throws Exception {
        RddcNetwork net = new RddcNetwork(batch.get(0)[0].length, k, 32, 2, 100, new Random(3), engine);
        Adam adam = new Adam(net.params(), 1e-3);
        long rssAt100 = 0;
        for (int i = 1; i <= steps; i++) {
            step(net, adam, batch);
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
