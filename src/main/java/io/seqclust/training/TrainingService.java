package io.seqclust.training;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.Checkpoint;
import io.seqclust.clustering.ClusterAlignment;
import io.seqclust.clustering.ClusteringAlgorithm;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.clustering.Models;
import io.seqclust.config.SeqclustConfig;
import io.seqclust.kafka.ModelTopic;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.model.Softmax;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trains the configured model on the window (on schedule, on demand), keeps cluster ids stable by
 * aligning the new model to the served one, and publishes the checkpoint on the models topic. One
 * run at a time per process. Created at startup, not first by the scheduler, so that a bad setting
 * stops the start instead of failing every tick.
 */
@Startup
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    private final SeqclustConfig config;
    private final TrainingWindow window;
    private final ModelTopic models;
    private final SeqclustMetrics metrics;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "seqclust-training");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<TrainingResult> running;
    private volatile TrainingResult last;
    private long lastStartNanos;
    private boolean ranOnce;
    private long addedAtLastRun;

    public TrainingService(SeqclustConfig config, WindowConsumer windowConsumer, ModelTopic models, SeqclustMetrics metrics) {
        this.config = config;
        this.window = windowConsumer.window();
        this.models = models;
        this.metrics = metrics;
        try {
            Models.algorithm(config); // an unknown model name or a bad setting fails at startup, not at the first run
        } catch (IllegalArgumentException e) {
            // logged here too: the exception of a failed start may not reach the log
            LOG.errorf("invalid training settings, not starting: %s", e.getMessage());
            throw e;
        }
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.training().enabled()) {
            return;
        }
        String reason;
        synchronized (this) {
            if (running != null) {
                return;
            }
            long newRecords = window.added() - addedAtLastRun;
            Duration sinceLast = ranOnce ? Duration.ofNanos(System.nanoTime() - lastStartNanos) : null;
            boolean hasModel = last != null && last.success() || models.latest() != null;
            reason = TrainingPolicy.due(hasModel, window.size(), newRecords, sinceLast,
                    config.training().minRecords(), config.training().minNewRecords(), config.training().interval());
        }
        if (reason != null) {
            start(reason);
        }
    }

    /** Starts a run unless one is running; the future completes with its result. */
    public synchronized Optional<CompletableFuture<TrainingResult>> start(String reason) {
        if (running != null) {
            return Optional.empty();
        }
        lastStartNanos = System.nanoTime();
        ranOnce = true;
        addedAtLastRun = window.added();
        CompletableFuture<TrainingResult> future = CompletableFuture.supplyAsync(() -> run(reason), executor);
        running = future;
        future.whenComplete((r, e) -> {
            synchronized (this) {
                running = null;
            }
        });
        return Optional.of(future);
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /** The last finished run, null if none finished in this process. */
    public TrainingResult lastResult() {
        return last;
    }

    private TrainingResult run(String reason) {
        long t0 = System.nanoTime();
        ClusteringAlgorithm algorithm = Models.algorithm(config);
        TrainingResult result;
        try {
            result = trainAndPublish(algorithm, reason, t0);
            LOG.infof("trained %s v%d on %d sequences (D=%d) in %.2f s, loss %.4g [%s]", result.model(), result.version(),
                    result.windowSize(), result.dims(), result.seconds(), result.loss(), reason);
        } catch (RuntimeException e) {
            result = new TrainingResult(false, algorithm.name(), 0, window.size(), 0, (System.nanoTime() - t0) / 1e9,
                    Double.NaN, reason, e.getMessage());
            LOG.errorf(e, "training %s failed [%s]: %s", algorithm.name(), reason, e.getMessage());
        }
        metrics.training(algorithm.name(), result.success(), System.nanoTime() - t0);
        last = result;
        return result;
    }

    private TrainingResult trainAndPublish(ClusteringAlgorithm algorithm, String reason, long t0) {
        LoadedModel previous = models.latest();
        List<double[][]> data = ofMajorityDims(window.snapshot());
        if (data.size() < Math.max(config.model().k(), 1)) {
            throw new IllegalStateException("the window holds " + data.size() + " usable sequences, fewer than k = "
                    + config.model().k());
        }
        int dims = data.get(0)[0].length;
        long version = previous == null ? 1 : previous.version() + 1;
        double[] loss = {Double.NaN};
        long started = System.nanoTime();
        int[] lastDecile = {0};
        Assigner trained = algorithm.train(data, config.model().seed() + version, (step, total, l) -> {
            loss[0] = l;
            int decile = 10 * step / total;
            if (decile > lastDecile[0] && total > 1) {
                lastDecile[0] = decile;
                double elapsed = (System.nanoTime() - started) / 1e9;
                LOG.infof("training %s v%d: %d/%d, loss %.4g, ETA %.0f s", algorithm.name(), version, step, total, l,
                        elapsed / step * (total - step));
            }
        });
        int[] permutation = ClusterAlignment.identity(trained.k());
        if (previous != null && previous.checkpoint().k() == trained.k() && previous.dims() == dims) {
            permutation = align(previous, trained, data);
        }
        Checkpoint checkpoint = new Checkpoint(algorithm.name(), version, System.currentTimeMillis(), trained.k(), dims,
                data.size(), permutation, trained.payload());
        Models.load(checkpoint); // the same checks every replica applies before serving it
        models.publish(checkpoint);
        return new TrainingResult(true, algorithm.name(), version, data.size(), dims, (System.nanoTime() - t0) / 1e9,
                loss[0], reason, null);
    }

    /** Stable ids: each new cluster takes the id of the served cluster it shares most sequences with. */
    private static int[] align(LoadedModel previous, Assigner trained, List<double[][]> data) {
        int[] before = new int[data.size()];
        int[] after = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            before[i] = previous.assign(data.get(i)).cluster();
            after[i] = Softmax.argmax(trained.probabilities(data.get(i)));
        }
        return ClusterAlignment.permutation(before, after, trained.k());
    }

    /** The sequences of the most common D: a model takes one D. */
    static List<double[][]> ofMajorityDims(List<double[][]> sequences) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (double[][] s : sequences) {
            counts.merge(s[0].length, 1, Integer::sum);
        }
        int dims = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
        return sequences.stream().filter(s -> s[0].length == dims).toList();
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
