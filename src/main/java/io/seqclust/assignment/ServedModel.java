package io.seqclust.assignment;

import io.seqclust.clustering.Checkpoint;
import io.seqclust.clustering.LoadedModel;
import io.seqclust.clustering.Models;
import io.seqclust.metrics.SeqclustMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;

/**
 * The decoded form of the checkpoint in the models store, shared by all stream threads and the REST
 * API. A checkpoint is decoded once per version; one that fails its checks is never served, and the
 * previous model stays.
 */
@ApplicationScoped
public class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    private final SeqclustMetrics metrics;
    private volatile Loaded current;
    private volatile long[] rejected;

    private record Loaded(long[] identity, LoadedModel model) {
    }

    public ServedModel(SeqclustMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param stored the checkpoint bytes in the models store, null if there is none
     * @return the model to assign with, or null while none can serve
     */
    public LoadedModel resolve(byte[] stored) {
        Loaded loaded = current;
        if (stored == null) {
            return loaded == null ? null : loaded.model();
        }
        long[] identity = Checkpoint.identity(stored);
        if (loaded != null && Arrays.equals(loaded.identity(), identity) || Arrays.equals(rejected, identity)) {
            return loaded == null ? null : loaded.model();
        }
        return load(stored, identity);
    }

    private synchronized LoadedModel load(byte[] stored, long[] identity) {
        Loaded loaded = current;
        if (loaded != null && Arrays.equals(loaded.identity(), identity)) {
            return loaded.model();
        }
        try {
            LoadedModel model = Models.load(Checkpoint.fromBytes(stored));
            current = new Loaded(identity, model);
            metrics.served(model.version());
            LOG.infof("serving %s v%d (k=%d, D=%d)", model.name(), model.version(), model.checkpoint().k(), model.dims());
            return model;
        } catch (RuntimeException e) {
            rejected = identity;
            LOG.errorf("checkpoint v%d was rejected and is not served (%s); the previous model stays", identity[0], e.getMessage());
            return loaded == null ? null : loaded.model();
        }
    }

    /** The model served now, without looking at the store; null before the first one. */
    public LoadedModel current() {
        Loaded loaded = current;
        return loaded == null ? null : loaded.model();
    }
}
