package io.seqclust.config;

import io.quarkus.runtime.Startup;
import io.seqclust.clustering.ClusteringAlgorithm;
import io.seqclust.clustering.KChoice;
import io.seqclust.clustering.ModelKind;
import io.seqclust.clustering.ModelSettings;
import io.seqclust.clustering.Rocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * The model this service trains: {@code seqclust.model.name} and {@code .k}, and the model's own settings
 * {@code seqclust.<model>.<key>}, bound onto its settings record (whose {@code DEFAULTS} are the defaults)
 * and validated (every model's keys, whichever is chosen). Built at startup, so that a bad or unknown setting
 * stops the start with the key's name.
 */
@Startup(0) // before anything reaches for Kafka (topic creation observes the start at priority 1)
@ApplicationScoped
public class ConfiguredModel {

    private static final Logger LOG = Logger.getLogger(ConfiguredModel.class);

    private final ModelKind kind;
    private final KChoice k;
    private final int kMin;
    private final int kMax;
    private final Record settings;

    public ConfiguredModel(SeqclustConfig config, Config source, Validator validator) {
        try {
            rejectUnknownKeys(StreamSupport.stream(source.getPropertyNames().spliterator(), false).toList());
            this.kind = config.model().name();
            this.k = config.model().k();
            this.kMin = config.model().kMin();
            this.kMax = config.model().kMax();
            Function<String, String> lookup = key -> source.getOptionalValue(key, String.class).orElse(null);
            // every model's keys, not only the configured one's: a value out of range is wrong whichever model is chosen
            Record chosen = null;
            for (ModelKind each : ModelKind.values()) {
                Record bound = settings(each, lookup, validator);
                chosen = each == kind ? bound : chosen;
            }
            this.settings = chosen;
            algorithm(); // settings that cannot train together (free-running on nd4j, a batch of k or fewer) fail here
            LOG.infof("model %s; random-kernel features (minirocket, rocket): %s", kind, Rocket.arithmetic());
        } catch (IllegalArgumentException e) {
            // logged here too: the exception of a failed start may not reach the log
            LOG.errorf("invalid settings, not starting: %s", e.getMessage());
            throw e;
        }
    }

    /**
     * The settings of a model from {@code seqclust.<model>.*}: its record's defaults where a key is not set.
     *
     * @param lookup a full key's value, or null
     */
    public static Record settings(ModelKind kind, Function<String, String> lookup, Validator validator) {
        Function<String, String> keyName = key -> prefix(kind) + key;
        Record bound = ModelSettings.bindText(kind.spec().defaults(), key -> lookup.apply(keyName.apply(key)), keyName);
        return ModelSettings.validate(bound, validator, keyName);
    }

    /** The training algorithm, as configured. */
    public ClusteringAlgorithm algorithm() {
        return k.algorithm(kind.spec(), settings, kMin, kMax);
    }

    /** The fewest sequences a window needs to be trained on: k, or k-min when k is chosen. */
    public int minimumWindow() {
        return k.auto() ? kMin : k.fixed();
    }

    public ModelKind kind() {
        return kind;
    }

    public Record settings() {
        return settings;
    }

    static String prefix(ModelKind kind) {
        return "seqclust." + kind.id() + ".";
    }

    /**
     * Every {@code seqclust.*} key must be the mapping's or a model's: a misspelt one would otherwise be
     * ignored without a word, and the service run with the default.
     */
    static void rejectUnknownKeys(List<String> names) {
        Set<String> known = new TreeSet<>(ConfigKeys.mapping());
        for (ModelKind kind : ModelKind.values()) {
            ModelSettings.keys(kind.spec().settingsType()).forEach(key -> known.add(prefix(kind) + key));
        }
        List<String> unknown = names.stream().filter(n -> n.startsWith("seqclust.") && !known.contains(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            String namespace = unknown.get(0).substring(0, unknown.get(0).lastIndexOf('.') + 1);
            List<String> near = known.stream().filter(key -> key.startsWith(namespace)).map(key -> key.substring(namespace.length()))
                    .toList();
            throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown)
                    + (near.isEmpty() ? "" : "; the keys under " + namespace + " are " + String.join(", ", near)));
        }
    }
}
