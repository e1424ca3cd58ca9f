package io.seqclust.cli;

import io.seqclust.assignment.Batching;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.demo.DemoStream;
import io.seqclust.model.train.TrainingProgress;
import io.seqclust.clustering.Dtcr;
import io.seqclust.clustering.Rddc;
import io.seqclust.evaluation.LabelledSet;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.ReconstructionDecoder;
import io.seqclust.model.network.DtcrNetwork;
import io.seqclust.model.network.RddcNetwork;
import io.seqclust.model.train.Optimiser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code bench}: training-step speed of RDDC and DTCR (networks of the models' default settings) on each
 * engine, with ratios against the first engine measured in the same run, and resident memory over many
 * steps.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Times a model's training and its assignment cost per record against kmeans-avg's, then training"
                + " steps of rddc and dtcr (their default settings) on each engine, against the first engine in the same run;"
                + " optionally the resident memory over many steps. With --online, the assignment topology on a broker against"
                + " an identity topology instead.", ""})
final class BenchCommand implements Callable<Integer> {

    enum MemoryModel { RDDC, DTCR }

    @Option(names = "--steps", defaultValue = "30", paramLabel = "<n>",
            description = "timed rddc/dtcr training steps per measurement (after untimed ones for at least 5 steps and 3 s); 0 skips them")
    private int steps;

    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "<dir>",
            description = "where JapaneseVowels is, for a real batch")
    private Path data;

    @Option(names = "--engine", paramLabel = "packed|java|nd4j",
            description = "time one engine only (default: packed, java, then nd4j)")
    private EngineKind engine;

    @Option(names = "--memory-steps", defaultValue = "0", paramLabel = "<n>",
            description = "then train this many steps and print the resident memory (run the JVM with -Xms = -Xmx and"
                    + " -XX:+AlwaysPreTouch, so that only native memory moves it)")
    private int memorySteps;

    @Option(names = "--memory-model", paramLabel = "rddc|dtcr", defaultValue = "rddc",
            description = "the network of the memory run (dtcr: a 16 + 16 batch of T = 50)")
    private MemoryModel memoryModel;

    @Option(names = "--memory-synthetic", description = "rddc memory run on the synthetic batch instead of JapaneseVowels")
    private boolean memorySynthetic;

    @Option(names = "--peer-steps", defaultValue = "10", paramLabel = "<n>",
            description = "timed steps of the PyTorch peer per thread count (after 5 untimed ones); 0 skips the peer")
    private int peerSteps;

    @Option(names = "--python", split = ",", defaultValue = "python3,/usr/bin/python3", paramLabel = "<python>",
            description = "where to look for a Python with torch (Debian: apt-get install python3-torch), in this order")
    private List<String> pythons;

    @Option(names = "--model", paramLabel = "<model>", converter = EvaluateCommand.ModelConverter.class,
            defaultValue = ModelKind.DEFAULT_ID,
            description = "whose training time and per-record assignment cost to measure (against kmeans-avg in the same run),"
                    + " with its defaults and any --set")
    private ModelKind model;

    @Option(names = "--set", paramLabel = "<setting>=<value>", description = "a setting of --model, named as evaluate's options"
            + " without the dashes (--set clustering=kmeans); repeatable; unset, the model's default")
    private Map<String, String> modelSettings = new LinkedHashMap<>();

    @Option(names = "--window", defaultValue = "500", paramLabel = "<n>",
            description = "demo sequences (D = --demo-dims, T = 30..120, 4 classes) the model trains on; as many are assigned")
    private int window;

    @Option(names = "--demo-dims", defaultValue = "2", paramLabel = "<D>",
            description = "channels of the demo sequences the model trains on and assigns (minirocket's transform depends on it)")
    private int demoDims;

    @Option(names = "--online", description = "instead: on an embedded broker, the seqclust topology serving --model against a"
            + " Kafka Streams identity topology on the same records: throughput of each and their ratio, then end-to-end latency"
            + " at --rate and the p99 the model adds")
    private boolean online;

    @Option(names = "--length", defaultValue = "100", paramLabel = "<T>", description = "--online: time steps per record")
    private int length;

    @Option(names = "--dims", defaultValue = "12", paramLabel = "<D>", description = "--online: values per time step")
    private int dims;

    @Option(names = "--count", defaultValue = "20000", paramLabel = "<n>", description = "--online: records of the throughput backlog")
    private int count;

    @Option(names = "--rate", defaultValue = "500", paramLabel = "<records/s>", description = "--online: offered load of the latency run")
    private double rate;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "<s>", description = "--online: length of the latency run")
    private int seconds;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "<n>",
            description = "--online: counted rounds of each measurement, the topologies taking turns after a warm-up round of"
                    + " each; the throughput is the best round of each, the latency over all (more rounds: less noise, longer)")
    private int rounds;

    @Option(names = "--batch-size", defaultValue = Batching.DEFAULT_SIZE, paramLabel = "<n>",
            description = "--online: seqclust.assignment.batch-size of the seqclust topology (1: each record on its own)")
    private int batchSize;

    @Option(names = "--batch-wait-ms", defaultValue = Batching.DEFAULT_WAIT_MS, paramLabel = "<ms>",
            description = "--online: seqclust.assignment.batch-wait of the seqclust topology, in milliseconds")
    private int batchWaitMs;

    @Option(names = "--threads", defaultValue = Batching.DEFAULT_THREADS, paramLabel = "<n>",
            description = "--online: seqclust.assignment.threads of the seqclust topology (0: every core; 1: the stream thread alone)")
    private int threads;

    private static final Rddc.Settings RDDC = Rddc.Settings.DEFAULTS;
    private static final Dtcr.Settings DTCR = Dtcr.Settings.DEFAULTS;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final int WARM_UP_STEPS = 5;
    private static final int WARM_UP_SECONDS = 3;

    private double peakGflops = Double.NaN;
    private Optional<TorchPeer> peer = Optional.empty();

    @Override
    public Integer call() throws Exception {
        Record settings = ModelOptions.settings(model, modelSettings, ModelSettings.validator());
        if (!modelSettings.isEmpty()) {
            System.out.println(model + " settings: " + ModelSettings.json(settings));
        }
        if (online) {
            new OnlineBench(new OnlineBench.Settings(model, settings, length, dims, Math.min(window, 400), count, rate, seconds,
                    rounds, Batching.of(batchSize, Duration.ofMillis(batchWaitMs), threads))).run();
            return 0;
        }
        serving(settings);
        if (steps == 0 && memorySteps == 0) {
            return 0;
        }
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
        List<EngineKind> engines = engine != null ? List.of(engine) : List.of(EngineKind.PACKED, EngineKind.JAVA, EngineKind.ND4J);
        System.out.printf("threads: %d; rddc %s; dtcr %s%n", CORES, ModelSettings.displayed(RDDC), ModelSettings.displayed(DTCR));
        if (steps > 0) {
            peakGflops = Peak.sgemmGflops(CORES);
            System.out.printf("machine peak: sgemm (ND4J's OpenBLAS, float, %d × %d, %d threads) %.1f GFLOP/s%n", Peak.SIZE,
                    Peak.SIZE, CORES, peakGflops);
            peer = peerSteps > 0 ? TorchPeer.find(pythons) : Optional.empty();
            System.out.println(peer.map(p -> "PyTorch peer: " + p.describe()).orElse(peerSteps == 0 ? "PyTorch peer: off (--peer-steps 0)"
                    : "PyTorch peer: skipped, no Python with torch among " + pythons + " (Debian: apt-get install python3-torch)"));
            rddc("rddc, synthetic B=100, T=50..100, D=2, k=4", synthetic, 4, engines);
        }
        List<double[][]> dtcrBatch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            double[][] x = new double[140 + r.nextInt(21)][1];
            for (double[] row : x) {
                row[0] = r.nextGaussian();
            }
            dtcrBatch.add(x);
        }
        // the baseline: the first engine, teacher-forced; the free-running decoder does not run on ND4J
        double baselineMs = Double.NaN;
        for (EngineKind e : steps > 0 ? engines : List.<EngineKind>of()) {
            for (ReconstructionDecoder.Feed feed : ReconstructionDecoder.Feed.values()) {
                if (feed == ReconstructionDecoder.Feed.FREE_RUNNING && e.resolve() == EngineKind.ND4J) {
                    continue;
                }
                double ms = msPerStep(dtcrStep(dtcrBatch, feed, e), steps);
                baselineMs = Double.isNaN(baselineMs) ? ms : baselineMs;
                System.out.printf("dtcr, B=64 real + 64 fake, T=140..160, D=1, k=4, %s engine, %s decoder: %.1f ms/step,"
                                + " %.0f real sequences/s; %.2fx the time of %s/teacher-forcing%n", ModelSettings.display(e),
                        ModelSettings.display(feed), ms, dtcrBatch.size() * 1000 / ms, ms / baselineMs,
                        ModelSettings.display(engines.get(0)));
            }
        }
        List<double[][]> jv = null;
        if (Files.isDirectory(data.resolve("JapaneseVowels"))) {
            jv = LabelledSet.read(data, "JapaneseVowels").sequences().subList(0, 100);
            if (steps > 0) {
                rddc("rddc, JapaneseVowels B=100, T=7..29, D=12, k=9", jv, 9, engines);
            }
        } else {
            System.out.println("JapaneseVowels not found under " + data + " (--data DIR): skipped");
        }
        if (memorySteps > 0) {
            if (memoryModel == MemoryModel.RDDC) {
                boolean real = jv != null && !memorySynthetic;
                List<double[][]> batch = real ? jv : synthetic;
                for (EngineKind e : engines) {
                    System.out.printf("memory, rddc, %s engine: %d training steps on the %s batch%n", ModelSettings.display(e),
                            memorySteps, real ? "JapaneseVowels" : "synthetic");
                    memory(rddcStep(batch, real ? 9 : 4, e, new Random(3)), memorySteps);
                }
            } else {
                // a smaller batch than the timed one, so that 2,000 steps take minutes: memory does not depend on it
                List<double[][]> small = dtcrBatch.subList(0, 16).stream().map(x -> Arrays.copyOf(x, 50)).toList();
                System.out.printf("memory, dtcr: %d training steps on a synthetic 16 + 16 batch, T = 50%n", memorySteps);
                for (EngineKind e : engines) {
                    System.out.printf("memory, dtcr, %s engine%n", ModelSettings.display(e));
                    memory(dtcrStep(small, DTCR.decoder(), e), memorySteps);
                }
            }
        }
        return 0;
    }

    /**
     * The model's training time on a window of demo sequences and its cost per assigned record (one sequence
     * per call, as the topology assigns), against kmeans-avg on the same records in the same run.
     */
    private void serving(Record settings) {
        DemoStream demo = new DemoStream(7, demoDims, 4, 30, 120, 0.2);
        List<double[][]> sequences = new ArrayList<>();
        for (int i = 0; i < window; i++) {
            sequences.add(demo.next().values());
        }
        double baseline = Double.NaN;
        for (ModelKind kind : model == ModelKind.KMEANS_AVG ? List.of(model) : List.of(ModelKind.KMEANS_AVG, model)) {
            long t0 = System.nanoTime();
            Assigner assigner = kind.spec().create(kind == model ? settings : kind.spec().defaults(), 4).fit(sequences, 1, TrainingProgress.NONE).assigner();
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            for (double[][] x : sequences.subList(0, Math.min(50, window))) {
                assigner.probabilities(x); // warm-up
            }
            long t1 = System.nanoTime();
            for (double[][] x : sequences) {
                assigner.probabilities(x);
            }
            double micros = (System.nanoTime() - t1) / 1e3 / window;
            baseline = Double.isNaN(baseline) ? micros : baseline;
            System.out.printf("%s on %d demo sequences (D=%d, T=30..120, k=4): trained in %.2f s; assigning %.1f µs/record"
                    + " (%.0f records/s on one thread), %.1fx kmeans-avg's cost per record%n", kind, window, demoDims, trainSeconds, micros,
                    1e6 / micros, micros / baseline);
        }
    }

    /**
     * Times each engine on the same batch (the first engine is the baseline the others are compared with), then
     * the PyTorch peer on it, with each engine's ratio against the peer's best thread count.
     */
    private void rddc(String what, List<double[][]> batch, int k, List<EngineKind> engines) throws InterruptedException {
        double baseline = Double.NaN;
        double flops = rddcNetwork(batch, k, EngineKind.JAVA, new Random(2)).stepFlops(batch);
        Map<EngineKind, Double> times = new LinkedHashMap<>();
        for (EngineKind e : engines) {
            double ms = msPerStep(rddcStep(batch, k, e, new Random(2)), steps);
            times.put(e, ms);
            baseline = Double.isNaN(baseline) ? ms : baseline;
            System.out.printf("%s, %s engine: %.1f ms/step, %.0f sequences/s; %.2fx the time of the %s engine; %.2f GFLOP/s"
                            + " (%.1f %% of the sgemm peak, %.3f GFLOP per step)%n", what, ModelSettings.display(e), ms,
                    batch.size() * 1000 / ms, ms / baseline, ModelSettings.display(engines.get(0)), flops / ms / 1e6,
                    100 * flops / ms / 1e6 / peakGflops, flops / 1e9);
        }
        if (peer.isEmpty()) {
            return;
        }
        List<Integer> threads = CORES > 1 ? List.of(1, CORES) : List.of(1);
        try {
            List<TorchPeer.Timing> timings = peer.get().time(batch, k, RDDC, peerSteps, threads);
            double best = timings.stream().mapToDouble(TorchPeer.Timing::ms).min().orElseThrow();
            System.out.printf("%s, PyTorch peer: %s%n", what, timings.stream()
                    .map(t -> String.format("%d thread%s %.1f ms/step", t.threads(), t.threads() == 1 ? "" : "s", t.ms()))
                    .collect(Collectors.joining(", ")));
            times.forEach((e, ms) -> System.out.printf("%s, %s engine: peer ratio %.2f (the PyTorch peer's best time"
                    + " per step over this engine's)%n", what, ModelSettings.display(e), best / ms));
        } catch (IOException e) {
            System.out.printf("%s, PyTorch peer: failed: %s%n", what, e.getMessage());
        }
    }

    /** An RDDC network of the default settings. */
    private static RddcNetwork rddcNetwork(List<double[][]> batch, int k, EngineKind engine, Random random) {
        return new RddcNetwork(batch.get(0)[0].length, k, RDDC.hiddenUnits(), RDDC.layers(), RDDC.denseUnits(), random,
                engine, RDDC.gruInit());
    }

    /** One RDDC training step of a network of the default settings. */
    private static Runnable rddcStep(List<double[][]> batch, int k, EngineKind engine, Random random) {
        Optimiser optimiser = new Optimiser(rddcNetwork(batch, k, engine, random), RDDC.learningRate(), RDDC.clipNorm());
        return () -> optimiser.step(batch, random);
    }

    /** One DTCR training step (fresh fakes each time) of a network of the default settings. */
    private static Runnable dtcrStep(List<double[][]> batch, ReconstructionDecoder.Feed feed, EngineKind engine) {
        Random random = new Random(4);
        DtcrNetwork net = new DtcrNetwork(1, 4, DTCR.units(), DTCR.dilations(), feed, engine, DTCR.lambda(), DTCR.inputNoise(), random);
        Optimiser optimiser = new Optimiser(net, DTCR.learningRate(), DTCR.clipNorm());
        return () -> optimiser.step(batch, random);
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

    /**
     * Mean ms per step over {@code steps}, after untimed steps for the JIT: at least {@value #WARM_UP_STEPS}, and
     * for at least {@value #WARM_UP_SECONDS} s (the packed engine's vector code needed about 2 s to reach its
     * steady speed; five steps alone read it up to 3x slow).
     */
    private static double msPerStep(Runnable step, int steps) {
        long warmUntil = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        for (int i = 0; i < WARM_UP_STEPS || System.nanoTime() < warmUntil; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
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
