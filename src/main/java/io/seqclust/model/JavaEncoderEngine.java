package io.seqclust.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * The encoder passes in plain Java, one sequence at a time for exactly its length (no padding, no
 * masks), the batch's sequences spread over the CPU cores; each worker has a replica of the encoder
 * with gradient accumulators of its own, summed into the master's at the end.
 */
final class JavaEncoderEngine implements EncoderEngine {

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Daemon workers shared by all networks. */
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "seqclust-rddc-worker");
        t.setDaemon(true);
        return t;
    });

    private final BiGruEncoder encoder;
    private final BiGruEncoder[] replicas;

    JavaEncoderEngine(BiGruEncoder encoder) {
        this.encoder = encoder;
        replicas = new BiGruEncoder[THREADS];
        replicas[0] = encoder;
        for (int i = 1; i < THREADS; i++) {
            replicas[i] = encoder.replica();
        }
    }

    @Override
    public void run(List<double[][]> batch, UnaryOperator<double[][]> head) {
        int n = batch.size();
        double[][] enc = new double[n][encoder.outputSize()];
        BiGruEncoder.Trace[] traces = new BiGruEncoder.Trace[n];
        BiGruEncoder.Prepared weights = encoder.prepare();
        parallel(n, (worker, i) -> traces[i] = replicas[worker].forward(batch.get(i), enc[i], weights));
        double[][] dEnc = head.apply(enc);
        if (dEnc == null) {
            return;
        }
        for (int w = 1; w < replicas.length; w++) {
            replicas[w].params().forEach(Param::zeroGrad);
        }
        parallel(n, (worker, i) -> replicas[worker].backward(traces[i], dEnc[i]));
        List<Param> master = encoder.params();
        for (int w = 1; w < replicas.length; w++) {
            List<Param> own = replicas[w].params();
            for (int p = 0; p < master.size(); p++) {
                Gru.add(master.get(p).grad, own.get(p).grad);
            }
        }
    }

    /** Runs body(worker, i) for i in [0, n), sequence i on worker i mod THREADS. */
    private static void parallel(int n, WorkerTask body) {
        if (THREADS == 1) {
            for (int i = 0; i < n; i++) {
                body.run(0, i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(THREADS);
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            futures.add(WORKERS.submit(() -> {
                for (int i = worker; i < n; i += THREADS) {
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

    @FunctionalInterface
    private interface WorkerTask {
        void run(int worker, int index);
    }
}
