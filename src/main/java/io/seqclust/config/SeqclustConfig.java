package io.seqclust.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * Every {@code seqclust.*} setting, with its default. README's configuration table mirrors this
 * interface; keep the two in step.
 */
@ConfigMapping(prefix = "seqclust")
public interface SeqclustConfig {

    Topics topics();

    /** Longest sequence (time steps) accepted; longer ones are dead-lettered as TOO_LONG. */
    @WithName("max-steps")
    @WithDefault("10000")
    int maxSteps();

    Model model();

    Rddc rddc();

    Dtcr dtcr();

    Window window();

    Training training();

    Demo demo();

    Broker broker();

    interface Topics {
        @WithDefault("seqclust.sequences")
        String sequences();

        @WithDefault("seqclust.assignments")
        String assignments();

        @WithName("dead-letters")
        @WithDefault("seqclust.dead-letters")
        String deadLetters();

        @WithDefault("seqclust.models")
        String models();

        /** Partitions of the topics that seqclust creates when they are missing. */
        @WithDefault("3")
        int partitions();

        @WithName("replication-factor")
        @WithDefault("1")
        short replicationFactor();

        /** max.message.bytes of the models topic and max.request.size of the checkpoint producer. */
        @WithName("models-max-bytes")
        @WithDefault("16777216")
        int modelsMaxBytes();
    }

    interface Model {
        /** Clustering model trained and served: kmeans-avg, rddc or dtcr. */
        @WithDefault("kmeans-avg")
        String name();

        /** Number of clusters. */
        @WithDefault("4")
        int k();

        /** kmeans-avg: k-means restarts; the lowest inertia wins. */
        @WithDefault("10")
        int restarts();

        @WithName("max-iterations")
        @WithDefault("100")
        int maxIterations();

        /** Seed of the training run; version n trains with seed + n so restarts differ between runs. */
        @WithDefault("42")
        long seed();
    }

    /** RDDC (seqclust.model.name=rddc): 2-layer bidirectional GRU, DDC head and loss. */
    interface Rddc {
        /** GRU units per direction. */
        @WithName("hidden-units")
        @WithDefault("32")
        int hiddenUnits();

        @WithDefault("2")
        int layers();

        /** Units of the fully connected layer whose output is the hidden representation. */
        @WithName("dense-units")
        @WithDefault("100")
        int denseUnits();

        @WithDefault("30")
        int epochs();

        @WithName("batch-size")
        @WithDefault("100")
        int batchSize();

        @WithName("learning-rate")
        @WithDefault("0.001")
        double learningRate();

        /** Global gradient-norm clipping. */
        @WithName("clip-norm")
        @WithDefault("5.0")
        double clipNorm();

        /** Training runs from different random starts, 1 to 20. */
        @WithDefault("5")
        int restarts();

        /** How a run is chosen without labels: loss, consensus or vote (the best measured; README's results). */
        @WithDefault("vote")
        io.seqclust.clustering.RunSelection selection();

        /** channel (standardise each channel with the window's statistics) or series (z-normalise each sequence). */
        @WithDefault("channel")
        io.seqclust.clustering.Rddc.Normalization normalization();

        /** Where training's encoder passes run: auto (nd4j in the gpu build, else java), java or nd4j. */
        @WithDefault("auto")
        io.seqclust.model.EncoderEngine.Kind engine();

        /** How the GRUs' weights start: he or uniform (PyTorch's ±1/√H); README's results compare them. */
        @WithName("gru-init")
        @WithDefault("he")
        io.seqclust.model.Gru.Init gruInit();
    }

    /** DTCR (seqclust.model.name=dtcr): dilated bidirectional GRU seq2seq, fake-sample classifier, k-means term. */
    interface Dtcr {
        /** GRU units per direction of each encoder layer. */
        @WithDefault("50,30,30")
        java.util.List<Integer> units();

        /** Each encoder layer's dilation. */
        @WithDefault("1,4,16")
        java.util.List<Integer> dilations();

        /** Weight of the k-means term (the loss adds lambda/2 times it). */
        @WithDefault("0.1")
        double lambda();

        @WithName("learning-rate")
        @WithDefault("0.001")
        double learningRate();

        @WithDefault("30")
        int epochs();

        /** Real sequences per batch (each gets a fake). */
        @WithName("batch-size")
        @WithDefault("64")
        int batchSize();

        @WithName("clip-norm")
        @WithDefault("5.0")
        double clipNorm();

        /** k-means restarts on the learned representations. */
        @WithName("kmeans-restarts")
        @WithDefault("10")
        int kmeansRestarts();

        @WithDefault("channel")
        io.seqclust.clustering.Rddc.Normalization normalization();

        /** What each decoder step reads: teacher-forcing (the true previous value) or free-running (its own previous output). */
        @WithDefault("teacher-forcing")
        io.seqclust.model.SequenceDecoder.Feed decoder();

        /** Standard deviation of Gaussian noise on the encoder's input while training (0: none). */
        @WithName("input-noise")
        @WithDefault("0")
        double inputNoise();

        /** auto (nd4j when the CUDA backend is on the class path, else java), java or nd4j, as for rddc. */
        @WithDefault("auto")
        io.seqclust.model.EncoderEngine.Kind engine();
    }

    interface Window {
        /** Sequences kept for training. */
        @WithDefault("5000")
        int capacity();

        /** recent (the last capacity sequences) or reservoir (a uniform sample of the whole topic). */
        @WithDefault("recent")
        WindowPolicy policy();

        /** Seed of the reservoir sampler, so that a rebuild from the topic gives the same sample. */
        @WithDefault("7")
        long seed();
    }

    enum WindowPolicy { recent, reservoir }

    interface Training {
        /** Whether this instance trains (an assigner-only replica sets false). */
        @WithDefault("true")
        boolean enabled();

        /** Shortest time between two scheduled retrains. */
        @WithDefault("5m")
        Duration interval();

        /** Records added to the window since the last run before a scheduled retrain. */
        @WithName("min-new-records")
        @WithDefault("500")
        int minNewRecords();

        /** Window size needed before the first model is trained. */
        @WithName("min-records")
        @WithDefault("200")
        int minRecords();
    }

    interface Demo {
        /** Feed a synthetic labelled stream; true by default when the broker is embedded. */
        @WithDefault("false")
        boolean enabled();

        /** Sequences per second. */
        @WithDefault("20")
        double rate();

        @WithDefault("2")
        int dims();

        /** Number of waveform shapes (labels), at most 4. */
        @WithDefault("4")
        int classes();

        @WithName("min-length")
        @WithDefault("30")
        int minLength();

        @WithName("max-length")
        @WithDefault("120")
        int maxLength();

        /** Standard deviation of the Gaussian noise added to every value. */
        @WithDefault("0.2")
        double noise();

        @WithDefault("1")
        long seed();

        /** Demo assignments per model version between two logged ACC/NMI/RI scores. */
        @WithName("score-every")
        @WithDefault("500")
        int scoreEvery();
    }

    interface Broker {
        /** Port of the embedded broker (0 picks a free one). Read by the launcher, before Quarkus starts. */
        @WithDefault("9092")
        int port();

        /** Log directory of the embedded broker; kept across runs so nothing accepted is lost. */
        @WithName("data-dir")
        @WithDefault("data/kafka")
        String dataDir();

        /** Filled in by the launcher: whether this process runs its own broker. */
        @WithDefault("false")
        boolean embedded();
    }
}
