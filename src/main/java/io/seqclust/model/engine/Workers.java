package io.seqclust.model.engine;

import io.seqclust.model.layer.Kernels;
import io.seqclust.model.layer.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * The CPU cores for per-sequence passes: item i of a batch runs on worker i mod W, so that each worker can
 * own a replica of the layers with gradient accumulators of its own. W is every core, or, for a network
 * built inside a {@link ForkJoinPool} (the service's training runs in one sized by
 * {@code seqclust.training.threads}), that pool's parallelism: training then leaves the other cores to
 * the assignment stream.
 */
final class Workers {

    private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Daemon threads shared by all networks. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(CORES, r -> {
        Thread t = new Thread(r, "seqclust-model-worker");
        t.setDaemon(true);
        return t;
    });

    @FunctionalInterface
    interface Task {
        void run(int worker, int index);
    }

    private Workers() {
    }

    /** Workers of a network built now: the enclosing fork-join pool's parallelism, else every core. */
    static int available() {
        ForkJoinPool pool = ForkJoinTask.getPool();
        return pool == null || pool == ForkJoinPool.commonPool() ? CORES : Math.max(1, Math.min(CORES, pool.getParallelism()));
    }

    /** One replica per worker ({@link #available()}): the master first, then copies sharing its weights. */
    static <T> T[] replicas(T master, UnaryOperator<T> replicate, IntFunction<T[]> array) {
        int workers = available();
        T[] out = array.apply(workers);
        out[0] = master;
        for (int i = 1; i < workers; i++) {
            out[i] = replicate.apply(master);
        }
        return out;
    }

    /**
     * A backward pass over n items on the workers, worker w accumulating into the gradients of replica w's
     * params (replica 0 is the master): the other replicas' gradients are zeroed first and summed into the
     * master's at the end.
     *
     * @param replicaParams each worker's params, in the same order as the master's
     */
    static void accumulate(int n, List<List<Param>> replicaParams, Task body) {
        for (int w = 1; w < replicaParams.size(); w++) {
            replicaParams.get(w).forEach(Param::zeroGrad);
        }
        parallel(n, replicaParams.size(), body);
        List<Param> master = replicaParams.get(0);
        for (int w = 1; w < replicaParams.size(); w++) {
            List<Param> own = replicaParams.get(w);
            for (int p = 0; p < master.size(); p++) {
                Kernels.add(master.get(p).grad, own.get(p).grad);
            }
        }
    }

    /** Items 0..n-1 on {@code workers} workers (at most the replicas the network has), item i on worker i mod workers. */
    static void parallel(int n, int workers, Task body) {
        if (workers == 1) {
            for (int i = 0; i < n; i++) {
                body.run(0, i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            futures.add(POOL.submit(() -> {
                for (int i = worker; i < n; i += workers) {
                    body.run(worker, i);
                }
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a training step", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a training worker failed: " + e.getCause(), e.getCause());
        }
    }
}
