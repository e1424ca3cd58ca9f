package io.seqclust.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A micro-batch's pass of the model split into contiguous chunks, the first on the calling (stream) thread and
 * the others on helper threads, outputs in the batch's order. Each record's output does not depend on the
 * others of its chunk, so the split changes no assignment; it lets a stream thread use the cores a broker
 * elsewhere leaves idle (rddc's three networks are most of its thread's time: {@code bench --online}).
 */
final class BatchPass {

    /**
     * The fewest records a chunk is given: a batch of fewer than 2 × this runs on the stream thread alone (at a
     * light load, where batches are small, a hand-off would cost more than it saves). Per record, rddc's batched
     * encoder is as fast on 4 sequences as on 16 (micro-benchmark, T = 100, D = 12).
     */
    static final int MIN_CHUNK = 4;

    /** Helpers, created as needed and shared by every stream thread; daemons, so they never hold up a stop. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "seqclust-assign-helper");
        t.setDaemon(true);
        return t;
    });

    private BatchPass() {
    }

    /** How many chunks a batch of n records is split into, with up to {@code threads} threads. */
    static int chunks(int n, int threads) {
        return Math.max(1, Math.min(threads, n / MIN_CHUNK));
    }

    /**
     * @param pass the model's pass over a chunk, one output per record, in order
     * @throws RuntimeException what a chunk's pass threw (the first chunk's first), so that the caller can fall
     *                          back to one record at a time as for a failed pass on one thread
     */
    static <I, O> List<O> run(List<I> batch, int threads, Function<List<I>, List<O>> pass) {
        int chunks = chunks(batch.size(), threads);
        if (chunks == 1) {
            return pass.apply(batch);
        }
        List<Future<List<O>>> helpers = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            List<I> chunk = chunk(batch, c, chunks);
            helpers.add(HELPERS.submit(() -> pass.apply(chunk)));
        }
        List<O> out = new ArrayList<>(batch.size());
        try {
            out.addAll(pass.apply(chunk(batch, 0, chunks)));
        } catch (RuntimeException | Error e) {
            helpers.forEach(f -> f.cancel(false));
            throw e;
        }
        for (Future<List<O>> f : helpers) {
            out.addAll(join(f));
        }
        return out;
    }

    /** Work for a helper thread, for a caller that {@link #join joins} it later. */
    static <O> Future<O> submit(Callable<O> work) {
        return HELPERS.submit(work);
    }

    private static <I> List<I> chunk(List<I> batch, int c, int chunks) {
        return batch.subList(batch.size() * c / chunks, batch.size() * (c + 1) / chunks);
    }

    /** The helper's result, or what it threw, rethrown on the calling thread. */
    static <O> O join(Future<O> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a helper assigned part of a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
