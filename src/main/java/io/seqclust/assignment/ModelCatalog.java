package io.seqclust.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.metrics.SeqclustMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

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

    /** A checkpoint without its weights; its settings as the JSON they were written as (as text, if they are not JSON). */
    public record Summary(String model, long version, long createdAt, JsonNode settings, int k, int dims, int windowSize) {
        public static Summary of(Checkpoint c) {
            JsonNode settings;
            try {
                settings = JSON.readTree(c.settings());
            } catch (JsonProcessingException e) {
                settings = TextNode.valueOf(c.settings());
            }
            return new Summary(c.model(), c.version(), c.createdAt(), settings, c.k(), c.dims(), c.windowSize());
        }
    }

    private final SeqclustMetrics metrics;
    private final Deque<Summary> history = new ArrayDeque<>();
    private volatile LoadedModel current;
    /** A checkpoint this process restored (and checked) before publishing it, and its bytes. */
    private byte[] preparedBytes;
    private LoadedModel prepared;

    public ModelCatalog(SeqclustMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * A record of the models topic.
     *
     * @return whether it passed its checks and is served now
     */
    public boolean offer(byte[] bytes) {
        LoadedModel model;
        try {
            model = takePrepared(bytes);
            if (model == null) {
                model = LoadedModel.restore(Checkpoint.fromBytes(bytes));
            }
        } catch (RuntimeException e) {
            LOG.errorf("a checkpoint on the models topic was rejected and is not served (%s); the previous model stays",
                    e.getMessage());
            return false;
        }
        synchronized (this) {
            current = model;
            history.addLast(Summary.of(model.checkpoint()));
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
            notifyAll();
        }
        metrics.served(model.version());
        LOG.infof("serving %s v%d (k=%d, D=%d)", model.name(), model.version(), model.checkpoint().k(), model.dims());
        return true;
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
        prepared = LoadedModel.restore(Checkpoint.fromBytes(bytes));
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
