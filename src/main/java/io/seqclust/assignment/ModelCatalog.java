package io.seqclust.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.CheckpointSignature;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.metrics.SeqclustMetrics;
import io.seqclust.config.SeqclustConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The checkpoints of the models topic as this process knows them, fed by the topology's global store (the
 * one reader of that topic): each is restored and checked once, and served if it passes; one that fails
 * its checks never replaces the served model. The stream threads, the API and the trainer all read it.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);
    private static final int HISTORY = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A checkpoint without its weights; its settings as the JSON they were written as (as text, if they are not
     * JSON), and how it agreed with the model it replaced (null for a first model or a rollback).
     */
    public record Summary(String model, long version, long createdAt, JsonNode settings, int k, int dims, int windowSize,
                          Checkpoint.Agreement agreement) {
        public static Summary of(Checkpoint c) {
            JsonNode settings;
            try {
                settings = JSON.readTree(c.settings());
            } catch (JsonProcessingException e) {
                settings = TextNode.valueOf(c.settings());
            }
            return new Summary(c.model(), c.version(), c.createdAt(), settings, c.k(), c.dims(), c.windowSize(), c.agreement());
        }
    }

    /** Recent valid sequences of the stream, on which every new checkpoint must give finite probabilities. */
    static final int PROBES = 8;

    private final SeqclustMetrics metrics;
    private final OptionalInt pinnedDims;
    private final int maxDims;
    private final Optional<CheckpointSignature> signature;
    private final double[][][] probes = new double[PROBES][][];
    private int probesSeen;
    private final Deque<Summary> history = new ArrayDeque<>();
    /** The last checkpoints served, whole, so that one can be served again (a rollback). */
    private final Deque<Checkpoint> servedCheckpoints = new ArrayDeque<>();
    static final int ROLLBACK_DEPTH = 5;
    private long highestVersion;
    private volatile LoadedModel current;
    /** A checkpoint this process restored (and checked) before publishing it, and its bytes. */
    private byte[] preparedBytes;
    private LoadedModel prepared;

    @Inject
    public ModelCatalog(SeqclustMetrics metrics, SeqclustConfig config) {
        this(metrics, config.model().dims(), config.limits().dims(), config.models().signingKey().map(CheckpointSignature::new));
    }

    /**
     * @param pinnedDims {@code seqclust.model.dims}
     * @param maxDims    {@code seqclust.limits.dims}
     * @param signature  {@code seqclust.models.signing-key}, when set
     */
    public ModelCatalog(SeqclustMetrics metrics, OptionalInt pinnedDims, int maxDims, Optional<CheckpointSignature> signature) {
        this.metrics = metrics;
        this.pinnedDims = pinnedDims;
        this.maxDims = maxDims;
        this.signature = signature;
    }

    /** The signature header a checkpoint this process publishes must carry, if checkpoints are signed. */
    public Optional<String> sign(byte[] bytes) {
        return signature.map(s -> s.sign(bytes));
    }

    /** {@link #offer(byte[], byte[], byte[])} of a record without headers. */
    public boolean offer(byte[] bytes) {
        return offer(bytes, null, null);
    }

    /**
     * A record of the models topic, with its {@value CheckpointSignature#HEADER} and {@value Checkpoint#VERSION_HEADER}
     * headers (null where it has none). The version it takes counts for {@link #nextVersion()} once it is
     * known to come from the trainer (signed, when checkpoints are), even if this build cannot serve it.
     *
     * @return whether it passed its checks and is served now
     */
    public boolean offer(byte[] bytes, byte[] signatureHeader, byte[] versionHeader) {
        if (signature.isPresent()) {
            Optional<String> refusal = signature.get().refusal(bytes, signatureHeader);
            if (refusal.isPresent()) {
                return reject(signatureHeader == null ? CheckpointPolicy.Reason.UNSIGNED : CheckpointPolicy.Reason.SIGNATURE,
                        refusal.get());
            }
        }
        versionTaken(versionHeader);
        LoadedModel model;
        try {
            Checkpoint checkpoint = Checkpoint.fromBytes(bytes);
            versionTaken(checkpoint.version());
            Optional<CheckpointPolicy.Refusal> refusal = CheckpointPolicy.refusal(checkpoint, current, pinnedDims, maxDims);
            if (refusal.isPresent()) {
                return reject(refusal.get().reason(), checkpoint + ": " + refusal.get().message());
            }
            model = takePrepared(bytes);
            if (model == null) {
                model = LoadedModel.restore(checkpoint, probes());
            }
        } catch (LoadedModel.ProbeException e) {
            return reject(CheckpointPolicy.Reason.PROBE, e.getMessage());
        } catch (RuntimeException e) {
            return reject(CheckpointPolicy.Reason.UNREADABLE, e.getMessage());
        }
        synchronized (this) {
            current = model;
            history.addLast(Summary.of(model.checkpoint()));
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
            servedCheckpoints.addLast(model.checkpoint());
            while (servedCheckpoints.size() > ROLLBACK_DEPTH) {
                servedCheckpoints.removeFirst();
            }
            notifyAll();
        }
        metrics.served(model.version());
        LOG.infof("serving %s v%d (k=%d, D=%d)", model.name(), model.version(), model.checkpoint().k(), model.dims());
        return true;
    }

    private void versionTaken(byte[] header) {
        if (header == null) {
            return;
        }
        try {
            versionTaken(Long.parseLong(new String(header, java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            LOG.warnf("a models topic record has a %s header that is not a number; ignored", Checkpoint.VERSION_HEADER);
        }
    }

    private synchronized void versionTaken(long version) {
        if (version >= 1 && version <= CheckpointPolicy.MAX_VERSION) {
            highestVersion = Math.max(highestVersion, version);
        }
    }

    /**
     * The version the next checkpoint must take: one above any version on the models topic so far, whether
     * this build could restore that checkpoint or not (after a format change, or a broken newest record,
     * versions still only increase).
     *
     * @throws IllegalStateException when versions have run out
     */
    public synchronized long nextVersion() {
        if (highestVersion >= CheckpointPolicy.MAX_VERSION) {
            throw new IllegalStateException("the models topic has reached version " + highestVersion
                    + ", the highest a checkpoint may take");
        }
        return highestVersion + 1;
    }

    private boolean reject(CheckpointPolicy.Reason reason, String message) {
        LOG.errorf("a checkpoint on the models topic was rejected (%s) and is not served: %s; the previous model stays",
                reason, message);
        metrics.checkpointRejected(reason.name());
        return false;
    }

    /** A valid sequence of the stream, kept (the latest {@link #PROBES}) to probe the next checkpoints with. */
    public synchronized void observe(double[][] values) {
        probes[probesSeen++ % PROBES] = values;
    }

    private synchronized List<double[][]> probes() {
        List<double[][]> out = new ArrayList<>(PROBES);
        for (double[][] p : probes) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Restores and checks a checkpoint this process is about to publish, and keeps the result for when the
     * topic brings it back, so that it is restored once.
     *
     * @return its bytes, to publish
     * @throws IllegalArgumentException when it must not be published
     */
    public synchronized byte[] prepare(Checkpoint checkpoint) {
        byte[] bytes = checkpoint.toBytes();
        prepared = LoadedModel.restore(Checkpoint.fromBytes(bytes), probes());
        preparedBytes = bytes;
        return bytes;
    }

    private synchronized LoadedModel takePrepared(byte[] bytes) {
        if (prepared == null || !Arrays.equals(preparedBytes, bytes)) {
            return null;
        }
        LoadedModel model = prepared;
        prepared = null;
        preparedBytes = null;
        return model;
    }

    /** A checkpoint of this version, if it is among the last {@value #ROLLBACK_DEPTH} served in this process. */
    public synchronized Optional<Checkpoint> served(long version) {
        return servedCheckpoints.stream().filter(c -> c.version() == version).findFirst();
    }

    /** The model served now; null before the first one. */
    public LoadedModel current() {
        return current;
    }

    /** Checkpoints served, newest first (the models topic is compacted: older ones may be gone from it). */
    public synchronized List<Summary> history() {
        List<Summary> out = new ArrayList<>(history);
        Collections.reverse(out);
        return out;
    }

    /** Waits until a model of at least this version is served; false if none is within the timeout. */
    public synchronized boolean awaitVersion(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current == null || current.version() < version) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
