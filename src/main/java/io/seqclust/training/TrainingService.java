package io.seqclust.training;

import io.quarkus.scheduler.Scheduled;
import io.seqclust.assignment.ModelCatalog;
import io.seqclust.assignment.ServingState;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.ClusterAlignment;
import io.seqclust.clustering.Fit;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.config.ConfiguredModel;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.drift.Drift;
import io.seqclust.promotion.Promotion;
import io.seqclust.kafka.ModelPublisher;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Trains the configured model on the window when the {@link ControlPlane} says so (or on demand), keeps
 * cluster ids stable by aligning the new model to the served one, and publishes the checkpoint on the models
 * topic. One run at a time per process, on a thread of its own: the scheduler's tick only gathers facts and
 * decides, holding no lock across Kafka I/O. Only a trainer ({@code seqclust.roles}) does any of this.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final Duration MODELS_TOPIC_WAIT = Duration.ofSeconds(60);

    private final SeqclustConfig config;
    private final ConfiguredModel model;
    private final WindowConsumer windowConsumer;
    private final TrainingWindow window;
    private final ModelPublisher publisher;
    private final ModelCatalog catalog;
    private final ServingState serving;
    private final SeqclustMetrics metrics;
    private final ControlPlane plane;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "seqclust-training");
        t.setDaemon(true);
        return t;
    });
    private volatile CompletableFuture<TrainingResult> running;
    private volatile TrainingResult last;
    private volatile TrainingRun current;
    private final Deque<TrainingResult> recent = new ArrayDeque<>();
    static final int RECENT_RESULTS = 10;
    /** Sequences of the training window that a model's drift reference describes. */
    static final int PROFILE_SEQUENCES = 1000;
    /** The newest sequences a drift score compares with the reference. */
    static final int DRIFT_SEQUENCES = 500;
    static final Duration DRIFT_EVERY = Duration.ofSeconds(10);
    /** Anchors kept with a checkpoint: per cluster, and at most this many values in all (4 MB as floats). */
    static final int ANCHORS_PER_CLUSTER = 32;
    static final long ANCHOR_VALUES = 1L << 20;
    /** Sequences of the window a model without anchors is compared on, and the silhouette is measured on. */
    static final int ANCHORS_FALLBACK = 500;
    static final int QUALITY_SEQUENCES = 400;
    private volatile String lastRefusal;
    private final Promotion.Settings promotion;
    private volatile Drift.Score drift;
    private long driftAt;
    private long driftVersion;
    /** Cores a run may use. */
    private final int threads;
    /** Sequences the window had taken when it was rebuilt: later ones are new to a model that does not say what it saw. */
    private long addedAtRebuild = -1;

    public TrainingService(SeqclustConfig config, TrainingSettings settings, ConfiguredModel model, WindowConsumer windowConsumer,
                           ModelPublisher publisher, ModelCatalog catalog, ServingState serving, SeqclustMetrics metrics) {
        this.config = config;
        this.model = model;
        this.windowConsumer = windowConsumer;
        this.window = windowConsumer.window();
        this.publisher = publisher;
        this.catalog = catalog;
        this.serving = serving;
        this.metrics = metrics;
        this.threads = settings.threads();
        this.promotion = settings.promotion();
        this.plane = new ControlPlane(settings.plane());
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.trains()) {
            return;
        }
        plane.decide(facts(), Instant.now()).ifPresent(reason -> launch(() -> run(reason), true));
    }

    /** What the control plane decides on; reads memory, and assigns the newest sequences for the drift score now and then. */
    ControlPlane.Facts facts() {
        boolean rebuilt = windowConsumer.rebuilt();
        if (rebuilt && addedAtRebuild < 0) {
            addedAtRebuild = window.added();
        }
        LoadedModel served = catalog.current();
        if (served == null) {
            return new ControlPlane.Facts(serving.modelsRead(), rebuilt, window.size(), 0, null, window.size(), null);
        }
        Checkpoint c = served.checkpoint();
        long newer = !c.trainedThrough().isEmpty() ? window.newerThan(c.trainedThrough())
                : rebuilt ? window.added() - addedAtRebuild : 0;
        return new ControlPlane.Facts(serving.modelsRead(), rebuilt, window.size(), c.version(), Instant.ofEpochMilli(c.createdAt()),
                newer, rebuilt ? drift(served, newer) : null);
    }

    /**
     * The drift score of the newest sequences newer than the served model, recomputed every
     * {@link #DRIFT_EVERY} (it assigns up to {@value #DRIFT_SEQUENCES} of them); null while there are fewer than
     * {@code seqclust.training.drift-min-records}, or the model carries no reference.
     */
    private Drift.Score drift(LoadedModel served, long newer) {
        Checkpoint c = served.checkpoint();
        if (c.reference() == null || c.trainedThrough().isEmpty() || newer < config.training().driftMinRecords()
                || c.reference().mix().length != served.idSpace()) {
            publishDrift(null);
            return null;
        }
        long now = System.nanoTime();
        if (drift != null && driftVersion == c.version() && now - driftAt < DRIFT_EVERY.toNanos()) {
            return drift;
        }
        List<double[][]> newest = window.newest(c.trainedThrough(), DRIFT_SEQUENCES);
        Drift.Score score = Drift.compare(c.reference(), Drift.profile(newest, x -> served.assign(x).probabilities(), served.idSpace()));
        driftAt = now;
        driftVersion = c.version();
        publishDrift(score);
        return score;
    }

    private void publishDrift(Drift.Score score) {
        drift = score;
        metrics.drift(score);
    }

    /** The last drift score, null if none is computed now. */
    public Drift.Score driftScore() {
        return drift;
    }

    /** Cores a run may use. */
    public int threads() {
        return threads;
    }

    /** Where the control plane stands, for {@code /api/status}. */
    public ControlPlane.Status control() {
        return plane.status();
    }

    /** Starts a run unless one is running; the future completes with its result. */
    public Optional<CompletableFuture<TrainingResult>> start(String reason) {
        if (!plane.startRequested()) {
            return Optional.empty();
        }
        return Optional.of(launch(() -> run(reason), true));
    }

    /**
     * Serves an earlier model again, as a new version (versions only increase): the checkpoint of version
     * {@code to}, one of the last few this process served, republished with the next version number and its
     * own cluster ids. Unless a run is going; the future completes with the result.
     */
    public Optional<CompletableFuture<TrainingResult>> rollback(long to) {
        if (!plane.startRequested()) {
            return Optional.empty();
        }
        return Optional.of(launch(() -> republish(to), false));
    }

    /** @param training whether the work is a training run, whose failure backs off the next one */
    private CompletableFuture<TrainingResult> launch(Supplier<TrainingResult> work, boolean training) {
        CompletableFuture<TrainingResult> future = CompletableFuture.supplyAsync(work, executor);
        running = future;
        future.whenComplete((r, e) -> {
            running = null;
            if (!training) {
                plane.released();
                return;
            }
            if (r != null && r.cancelled()) {
                plane.released();
                LOG.infof("training %s [%s] stopped after %.1f s, cancelled through the API; the served model stays",
                        r.model(), r.reason(), r.seconds());
                return;
            }
            boolean success = r != null && r.success();
            String failure = r != null ? r.message() : String.valueOf(e);
            Duration wait = plane.finished(success, failure, Instant.now());
            if (!success) {
                LOG.errorf("training %s failed [%s] (%d in a row): %s; the served model stays; next automatic attempt in %d s",
                        model.kind().id(), r != null ? r.reason() : "?", plane.status().failures(), failure, wait.toSeconds());
            }
        });
        return future;
    }

    private TrainingResult republish(long to) {
        long t0 = System.nanoTime();
        String reason = "rollback to v" + to + " requested through the API";
        try {
            awaitModelsTopic();
            Checkpoint old = catalog.served(to).orElseThrow(() -> new IllegalArgumentException("v" + to
                    + " is not among the last checkpoints this process served"));
            long version = catalog.nextVersion();
            // trained through the window as it is now: a rollback must not be undone by the next scheduled retrain
            publishAndAwait(old.republished(version, System.currentTimeMillis(), window.through()));
            LOG.infof("rolled back: %s v%d served again as v%d", old.model(), to, version);
            return new TrainingResult(true, old.model(), version, old.windowSize(), old.dims(),
                    (System.nanoTime() - t0) / 1e9, Double.NaN, reason, null, false, null);
        } catch (RuntimeException e) {
            LOG.errorf("rollback to v%d failed: %s", to, e.getMessage());
            return TrainingResult.failed(model.kind().id(), window.size(), (System.nanoTime() - t0) / 1e9, reason, e.getMessage(), false);
        }
    }

    public boolean isRunning() {
        return running != null;
    }

    /** The last finished run, null if none finished in this process. */
    public TrainingResult lastResult() {
        return last;
    }

    /** The run going now, null if none. */
    public Optional<TrainingRun> current() {
        return Optional.ofNullable(current);
    }

    /** The last finished runs, newest first. */
    public synchronized List<TrainingResult> recentResults() {
        List<TrainingResult> out = new ArrayList<>(recent);
        Collections.reverse(out);
        return out;
    }

    /**
     * Asks the running training run to stop (a rollback is not cancelled): it stops at its next progress
     * report, or before publishing, and the served model stays.
     *
     * @return the run, if one was going
     */
    public Optional<TrainingRun> cancel() {
        TrainingRun run = current;
        if (run != null) {
            run.cancel();
            LOG.infof("training run cancelled through the API: it stops at its next epoch, or before publishing");
        }
        return Optional.ofNullable(run);
    }

    private TrainingResult run(String reason) {
        long t0 = System.nanoTime();
        String name = model.kind().id();
        TrainingRun run = new TrainingRun(name, reason, Instant.now(), config.training().timeBudget());
        current = run;
        metrics.trainingProgress(0);
        TrainingResult result;
        try {
            result = trainAndPublish(run, t0);
            // "objective", not "loss": for the networks it is their loss, for the kernel and k-means models an inertia
            LOG.infof("trained %s v%d on %d sequences (D=%d) in %.2f s, objective %.4g [%s]", result.model(), result.version(),
                    result.windowSize(), result.dims(), result.seconds(), result.loss(), reason);
            if (result.warning() != null) {
                LOG.warnf("%s v%d: %s", result.model(), result.version(), result.warning());
            }
        } catch (TrainingRun.Stopped e) {
            result = TrainingResult.failed(name, window.size(), (System.nanoTime() - t0) / 1e9, reason, e.getMessage(), e.cancelled());
        } catch (RuntimeException e) {
            result = TrainingResult.failed(name, window.size(), (System.nanoTime() - t0) / 1e9, reason, e.getMessage(), false);
            LOG.debugf(e, "training %s failed [%s]", name, reason);
        } finally {
            current = null;
        }
        metrics.training(name, result.success(), System.nanoTime() - t0);
        metrics.trainingProgress(result.success() ? 1 : 0);
        synchronized (this) {
            last = result;
            recent.addLast(result);
            while (recent.size() > RECENT_RESULTS) {
                recent.removeFirst();
            }
        }
        return result;
    }

    /**
     * Fits on a fork-join pool of {@code seqclust.training.threads}, so that the model's parallel work (the
     * networks' workers, the feature passes) leaves the stream its core; ND4J's per-thread memory is released
     * on the thread that trained when the fit ends.
     */
    private Fit fit(List<double[][]> data, long seed, TrainingRun run, String name, long version) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> {
                try {
                    return model.algorithm().fit(data, seed, p -> {
                        run.report(p);
                        metrics.trainingProgress(p.epochs() == 0 ? 0 : (double) p.epoch() / p.epochs());
                        metrics.trainingLoss(p.loss().terms());
                        if (p.epochs() > 1 && p.atTenth()) {
                            LOG.infof("training %s v%d: %s", name, version, p);
                        }
                        run.check(Instant.now());
                    });
                } finally {
                    EngineKind.releaseThreadMemory();
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private TrainingResult trainAndPublish(TrainingRun run, long t0) {
        awaitModelsTopic();
        String name = model.kind().id();
        LoadedModel previous = catalog.current();
        TrainingWindow.Snapshot snapshot = window.snapshot();
        List<double[][]> data = ofDims(snapshot.sequences(),
                config.model().dims().orElse(previous == null ? UNPINNED : previous.dims()));
        int needed = model.minimumWindow();
        if (data.size() < needed) {
            throw new IllegalStateException("the window holds " + data.size() + " usable sequences, fewer than k = " + needed);
        }
        int dims = data.get(0)[0].length;
        long version = catalog.nextVersion();
        Fit fit = fit(data, config.model().seed() + version, run, name, version);
        Assigner trained = fit.assigner();
        int k = trained.k();
        int[] permutation = ClusterAlignment.identity(k);
        Checkpoint.Agreement agreement = null;
        if (previous != null && previous.dims() == dims) {
            // the served model's anchors; a model published before anchors were kept is compared on the window
            List<double[][]> anchors = previous.checkpoint().anchors().isEmpty() ? evenlySpaced(data, ANCHORS_FALLBACK)
                    : previous.checkpoint().anchors();
            int[] before = servedIds(previous, anchors);
            int[] fresh = ownIds(trained, anchors);
            permutation = Promotion.stableIds(before, fresh, k, previous.checkpoint().permutation());
            if (LoadedModel.idSpace(permutation) > k + LoadedModel.RETIRED_IDS) {
                LOG.warnf("cluster ids would run %d beyond k = %d after changes of k: v%d's ids are renumbered 0..%d and do not"
                        + " carry over from v%d", LoadedModel.RETIRED_IDS, k, version, k - 1, previous.version());
                permutation = ClusterAlignment.identity(k);
            }
            agreement = Promotion.agreement(previous.version(), before, relabel(fresh, permutation));
            metrics.agreement(agreement.ari());
            List<double[][]> sample = evenlySpaced(data, QUALITY_SEQUENCES);
            Optional<String> refusal = Promotion.refusal(agreement, sample, servedIds(previous, sample),
                    relabel(ownIds(trained, sample), permutation), promotion);
            if (refusal.isPresent()) {
                lastRefusal = refusal.get();
                throw new IllegalStateException(refusal.get());
            }
        }
        List<double[][]> profiled = evenlySpaced(data, PROFILE_SEQUENCES);
        int[] stable = permutation;
        Map<double[][], double[]> probabilities = new IdentityHashMap<>();
        for (double[][] x : profiled) {
            probabilities.put(x, LoadedModel.byStableId(trained.probabilities(x), stable));
        }
        int ids = LoadedModel.idSpace(stable);
        Checkpoint.Reference reference = Drift.profile(profiled, probabilities::get, ids);
        int[] labels = profiled.stream().mapToInt(x -> Activations.argmax(probabilities.get(x))).toArray();
        Checkpoint.Lineage lineage = new Checkpoint.Lineage(snapshot.through(), reference,
                Promotion.anchors(profiled, labels, ids, ANCHORS_PER_CLUSTER, ANCHOR_VALUES), agreement);
        Checkpoint checkpoint = new Checkpoint(name, version, System.currentTimeMillis(), ModelSettings.json(model.settings()),
                k, dims, data.size(), permutation, trained.payload(), lineage);
        run.check(Instant.now()); // a model that is too late or no longer wanted is not published
        publishAndAwait(checkpoint);
        return new TrainingResult(true, name, version, data.size(), dims, (System.nanoTime() - t0) / 1e9, fit.loss(),
                run.reason(), null, false, plane.settings().smallWindowWarning(data.size()).orElse(null));
    }

    /** At most {@code n} of the sequences, evenly spread over them (all, if there are no more). */
    static List<double[][]> evenlySpaced(List<double[][]> sequences, int n) {
        if (sequences.size() <= n) {
            return sequences;
        }
        List<double[][]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sequences.get((int) ((long) i * sequences.size() / n)));
        }
        return out;
    }

    /** Checks, signs and publishes a checkpoint, and waits until the models topic brings it back. */
    private void publishAndAwait(Checkpoint checkpoint) {
        // the same checks every replica applies before serving it; this process keeps the result
        byte[] bytes = catalog.prepare(checkpoint);
        publisher.publish(checkpoint.version(), bytes, catalog.sign(bytes));
        try {
            if (!catalog.awaitVersion(checkpoint.version(), MODELS_TOPIC_WAIT)) {
                LOG.warnf("published %s v%d, but the models topic did not bring it back within %d s", checkpoint.model(),
                        checkpoint.version(), MODELS_TOPIC_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run asked for through the API may come before the topology has read the models topic: wait for it. */
    private void awaitModelsTopic() {
        long deadline = System.nanoTime() + MODELS_TOPIC_WAIT.toNanos();
        while (!serving.modelsRead()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the models topic has not been read within " + MODELS_TOPIC_WAIT.toSeconds()
                        + " s (is the assignment topology running?)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the models topic", e);
            }
        }
    }

    private static int[] servedIds(LoadedModel served, List<double[][]> sequences) {
        return sequences.stream().mapToInt(x -> served.assign(x).cluster()).toArray();
    }

    private static int[] ownIds(Assigner trained, List<double[][]> sequences) {
        return sequences.stream().mapToInt(x -> Activations.argmax(trained.probabilities(x))).toArray();
    }

    private static int[] relabel(int[] own, int[] permutation) {
        return java.util.Arrays.stream(own).map(c -> permutation[c]).toArray();
    }

    /** The last refusal of a new model, for {@code /api/models}; null if none in this process. */
    public String lastRefusal() {
        return lastRefusal;
    }

    /**
     * The sequences of D {@code pinned} (seqclust.model.dims, or the served model's): records of another D
     * are dead-lettered by the topology and must not train the next model either. Unpinned (before a first
     * model), the window's most common D.
     */
    static List<double[][]> ofDims(List<double[][]> sequences, int pinned) {
        if (pinned != UNPINNED) {
            return sequences.stream().filter(s -> s[0].length == pinned).toList();
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (double[][] s : sequences) {
            counts.merge(s[0].length, 1, Integer::sum);
        }
        int dims = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
        return sequences.stream().filter(s -> s[0].length == dims).toList();
    }

    static final int UNPINNED = -1;

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
