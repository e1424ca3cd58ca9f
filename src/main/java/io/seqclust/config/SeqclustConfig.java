package io.seqclust.config;

import io.seqclust.assignment.Batching;
import io.seqclust.audio.AudioSettings;
import io.seqclust.clustering.KChoice;
import io.seqclust.clustering.ModelKind;
import io.seqclust.ingest.InputLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;

/**
 * The service's {@code seqclust.*} settings, with their defaults and allowed ranges (checked at startup,
 * naming the key). The models' own settings ({@code seqclust.<model>.*}) come from each model's settings
 * record through {@link ConfiguredModel}. README's configuration table lists both; a test keeps it in step.
 */
@ConfigMapping(prefix = "seqclust")
public interface SeqclustConfig {

    /**
     * What this process does: {@code assigner} runs the assignment topology on the sequences topic;
     * {@code trainer} keeps the training window, trains and publishes checkpoints (one per deployment).
     * Both by default; an assigner-only replica keeps no window and refuses training calls.
     */
    @WithDefault("assigner,trainer")
    Set<Role> roles();

    enum Role { assigner, trainer }

    default boolean trains() {
        return roles().contains(Role.trainer);
    }

    default boolean assigns() {
        return roles().contains(Role.assigner);
    }

    Topics topics();

    /** What one input record may hold; records beyond a limit are dead-lettered with its code. */
    Limits limits();

    /**
     * Longest a stop (SIGTERM) may take: Kafka clients wait for an unreachable broker for minutes, and then
     * the process is ended anyway. Nothing is lost (uncommitted transactions are aborted and redone).
     */
    @WithName("shutdown-timeout")
    @WithDefault("30s")
    Duration shutdownTimeout();

    /** Which model, and for how many clusters; each model's own settings are {@code seqclust.<model>.*} (see {@link ConfiguredModel}). */
    Model model();

    Window window();

    /** How the topology feeds the model: micro-batches of valid records, one pass of the model each. */
    @WithName("assignment")
    Assigning assigning();

    interface Assigning {
        /**
         * Most records assigned in one pass of the model; 1 assigns each record as it comes. The GRU networks
         * (rddc, dtcr) run a batch as matrix–matrix products, faster per record; other models loop over it.
         */
        @WithName("batch-size")
        @WithDefault(Batching.DEFAULT_SIZE)
        @Min(1)
        @Max(1000)
        int batchSize();

        /** Longest a record waits for its batch to fill before the records held are assigned anyway. */
        @WithName("batch-wait")
        @WithDefault(Batching.DEFAULT_WAIT_MS + "ms")
        Duration batchWait();

        /**
         * Threads a batch's pass is split over: the stream thread and helpers, each with at least 4 records of the
         * batch; under a backlog, how many full batches are assigned on helpers at once while the stream thread
         * reads on; 0 for as many as the cores.
         */
        @WithDefault(Batching.DEFAULT_THREADS)
        @Min(0)
        @Max(256)
        int threads();
    }

    Training training();

    /** How an audio record becomes a sequence (log-mel energies) and which audio is taken. */
    Audio audio();

    interface Audio {
        /** Analysis window, in milliseconds. */
        @WithName("window-ms")
        @WithDefault(AudioSettings.WINDOW_MS)
        @DecimalMin(value = "1")
        @DecimalMax("1000")
        double windowMs();

        /** Step between windows, in milliseconds: one time step of the sequence. */
        @WithName("hop-ms")
        @WithDefault(AudioSettings.HOP_MS)
        @DecimalMin(value = "1")
        @DecimalMax("1000")
        double hopMs();

        /** Mel bands: D of the audio's sequences. */
        @WithDefault(AudioSettings.BANDS)
        @Min(1)
        @Max(128)
        int bands();

        /** Lower edge of the lowest band, in Hz. */
        @WithName("min-hz")
        @WithDefault(AudioSettings.MIN_HZ)
        @DecimalMin("0")
        double minHz();

        /** Upper edge of the highest band, in Hz; at most half of min-rate. */
        @WithName("max-hz")
        @WithDefault(AudioSettings.MAX_HZ)
        @DecimalMin(value = "0", inclusive = false)
        double maxHz();

        /** Leading and trailing frames quieter than the clip's loudest frame by more than this (dB) are cropped. */
        @WithName("trim-db")
        @WithDefault(AudioSettings.TRIM_DB)
        @DecimalMin(value = "0", inclusive = false)
        double trimDb();

        /** A clip whose loudest frame is below this level (dB relative to full scale) is dead-lettered SILENT. */
        @WithName("silence-db")
        @WithDefault(AudioSettings.SILENCE_DB)
        @DecimalMax("0")
        double silenceDb();

        /** utterance: each clip's log-mel energies centred and scaled together; band: each band on its own; none. */
        @WithDefault(AudioSettings.NORMALISATION)
        AudioSettings.Normalisation normalisation();

        /** Slowest sample rate taken (Hz); slower clips are dead-lettered AUDIO_RATE. */
        @WithName("min-rate")
        @WithDefault(AudioSettings.MIN_RATE)
        @Min(1000)
        int minRate();

        /** Fastest sample rate taken (Hz); faster clips are dead-lettered AUDIO_RATE. */
        @WithName("max-rate")
        @WithDefault(AudioSettings.MAX_RATE)
        @Max(192000)
        int maxRate();

        /** Longest clip taken, in seconds before cropping; longer ones are dead-lettered TOO_LONG. */
        @WithName("max-seconds")
        @WithDefault(AudioSettings.MAX_SECONDS)
        @DecimalMin(value = "0", inclusive = false)
        double maxSeconds();

        default AudioSettings settings() {
            return new AudioSettings(windowMs(), hopMs(), bands(), minHz(), maxHz(), trimDb(), silenceDb(),
                    normalisation(), minRate(), maxRate(), maxSeconds());
        }
    }

    Demo demo();

    /** A schema registry for the sequence input and the assignment output; none by default (plain JSON). */
    Registry registry();

    interface Registry {
        /**
         * The registry's API root, e.g. {@code http://registry:8080/apis/registry/v3} (see api). Set: the schemas of
         * {@code schemas/} are registered (or checked) at startup, framed input is judged by its writer's schema,
         * and assignments are framed. Unset: plain JSON.
         */
        Optional<String> url();

        /**
         * apicurio: Apicurio Registry's v3 API (url ends in /apis/registry/v3); confluent: Confluent's Schema Registry
         * API (a Confluent registry, or Apicurio's /apis/ccompat/v7, Karapace, Redpanda).
         */
        @WithDefault("apicurio")
        RegistryApi api();

        /** The registry group of seqclust's artifacts ({@code <topic>-value}); Apicurio's API only. */
        @WithDefault("default")
        String group();

        /** Register the schemas at startup (a new version only if one differs); false: only check they are there, and refuse to start if not. */
        @WithDefault("true")
        boolean register();
    }

    Broker broker();

    Admin admin();

    Models models();

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

        /** Audio records (WAV, or JSON per audio.schema.json), keyed by sequence id: their features go on to the sequences topic. */
        @WithDefault("seqclust.audio")
        String audio();

        /** Partitions of the topics that seqclust creates when they are missing. */
        @WithDefault("3")
        @Min(1)
        int partitions();

        @WithName("replication-factor")
        @WithDefault("1")
        @Min(1)
        short replicationFactor();

        /** The default of {@link #modelsMaxBytes()}: 16 MiB. */
        String DEFAULT_MODELS_MAX_BYTES = "16777216";

        /** max.message.bytes of the models topic and max.request.size of the checkpoint producer. */
        @WithName("models-max-bytes")
        @WithDefault(DEFAULT_MODELS_MAX_BYTES)
        @Min(1024)
        int modelsMaxBytes();
    }

    /**
     * Bounds checked before a record is parsed or kept, so that no record can exhaust memory, and no output
     * (assignment, dead letter, held record) can exceed Kafka's default 1 MiB request: a record of
     * {@code record-bytes} with {@code header-bytes} of headers and seqclust's own headers fits under it.
     */
    interface Limits {
        /** Bytes of a record's key and value together; larger ones are dead-lettered TOO_LARGE, with a truncated copy. */
        @WithName("record-bytes")
        @WithDefault("1000000")
        @Min(1024)
        @Max(1000000)
        int recordBytes();

        /** Longest sequence (time steps); longer ones are dead-lettered TOO_LONG. */
        @WithDefault("10000")
        @Min(1)
        int steps();

        /** Most values per time step (D); more are dead-lettered TOO_WIDE. */
        @WithDefault("1000")
        @Min(1)
        int dims();

        /** Longest id and source, in characters (sequence.schema.json caps both at 4096); longer ones are SCHEMA. */
        @WithName("id-length")
        @WithDefault("256")
        @Min(1)
        @Max(4096)
        int idLength();

        /** Largest magnitude of a value; larger (finite) ones are dead-lettered OUT_OF_RANGE, so no square or sum overflows. */
        @WithName("max-abs-value")
        @WithDefault("1e12")
        @DecimalMin(value = "0", inclusive = false)
        double maxAbsValue();

        /** Deepest JSON nesting read (a sequence needs 3); deeper records are BAD_JSON, refused while parsing. */
        @WithName("nesting-depth")
        @WithDefault("8")
        @Min(3)
        @Max(1000)
        int nestingDepth();

        /** Input headers copied onto outputs, at most this many bytes in all (seqclust.* ones are never copied). */
        @WithName("header-bytes")
        @WithDefault("16384")
        @Min(0)
        @Max(32768)
        int headerBytes();

        default InputLimits input() {
            return new InputLimits(recordBytes(), steps(), dims(), idLength(), maxAbsValue(), nestingDepth(), headerBytes());
        }
    }

    interface Model {
        /** Clustering model trained and served: a name from the registry ({@link ModelKind}). */
        @WithDefault(ModelKind.DEFAULT_ID)
        ModelKind name();

        /** Number of clusters, or auto: chosen on each window, without labels, within k-min..k-max. */
        @WithDefault("4")
        KChoice k();

        /** The smallest k that auto considers. */
        @WithName("k-min")
        @WithDefault(KChoice.DEFAULT_MIN)
        @Min(2)
        @Max(1000)
        int kMin();

        /** The largest k that auto considers. */
        @WithName("k-max")
        @WithDefault(KChoice.DEFAULT_MAX)
        @Min(2)
        @Max(1000)
        int kMax();

        /**
         * Pins D, the values per time step: only checkpoints of this D are served and only sequences of it
         * are trained on. Unset, D is the served model's, once there is one (the first model takes the
         * window's most common D).
         */
        @Min(1)
        OptionalInt dims();

        /** Seed of the training run; version n trains with seed + n so restarts differ between runs. */
        @WithDefault("42")
        long seed();
    }

    interface Window {
        /** Sequences kept for training. */
        @WithDefault("5000")
        @Min(1)
        int capacity();

        /** Most bytes of values the window holds (8 per value); beyond it, fewer sequences than capacity are kept. */
        @WithName("max-bytes")
        @WithDefault("268435456")
        @Min(1024)
        long maxBytes();

        /** recent (the last capacity sequences) or reservoir (a uniform sample of the whole topic). */
        @WithDefault("recent")
        WindowPolicy policy();

        /** Seed of the reservoir sampler, so that a rebuild from the topic gives the same sample. */
        @WithDefault("7")
        long seed();
    }

    enum WindowPolicy { recent, reservoir }

    interface Training {
        /** Shortest time between the served model's creation and a scheduled retrain. */
        @WithDefault("5m")
        Duration interval();

        /** Wait after a failed run before the next automatic one; it doubles with each further failure. */
        @WithDefault("10s")
        Duration backoff();

        /** Longest wait between failed runs. */
        @WithName("max-backoff")
        @WithDefault("10m")
        Duration maxBackoff();

        /** Longest a run may take; one that overruns stops (after its current epoch, or before publishing) and the served model stays. */
        @WithName("time-budget")
        @WithDefault("30m")
        Duration timeBudget();

        /** Drift score (0..1) at or above which a retrain is due (once the interval has passed); above 1: never. */
        @WithName("drift-threshold")
        @WithDefault("0.1")
        @DecimalMin("0")
        double driftThreshold();

        /** Sequences newer than the served model needed before the drift score is computed (the newest 500 are compared). */
        @WithName("drift-min-records")
        @WithDefault("200")
        @Min(1)
        int driftMinRecords();

        /** When a new model may replace the served one. */
        Promotion promotion();

        interface Promotion {
            /** ARI with the served model on its anchors below which a new model needs a clearly better silhouette. */
            @WithName("min-agreement")
            @WithDefault("0.3")
            @DecimalMin("-1")
            @DecimalMax("1")
            double minAgreement();

            /** How much higher than the served model's a disagreeing model's silhouette must be. */
            @WithName("quality-margin")
            @WithDefault("0.05")
            @DecimalMin("0")
            double qualityMargin();
        }

        /** Cores a run may use; unset: all but one when this process also assigns (the stream keeps a core), else all. */
        Optional<@Min(1) Integer> threads();

        /** Sequences in the window newer than the served model (read after the records it was trained on) before a scheduled retrain. */
        @WithName("min-new-records")
        @WithDefault("500")
        @Min(1)
        int minNewRecords();

        /** Window size needed before the first model is trained. */
        @WithName("min-records")
        @WithDefault("200")
        @Min(1)
        int minRecords();
    }

    interface Demo {
        /** Feed a synthetic labelled stream; true by default when the broker is embedded. */
        @WithDefault("false")
        boolean enabled();

        /**
         * sequences: waveform shapes as JSON sequences to the sequences topic; audio: kinds of sound as WAV clips to
         * the audio topic (dims, min-length, max-length and noise do not apply).
         */
        @WithDefault("sequences")
        DemoKind kind();

        /** Sequences (or clips) per second. */
        @WithDefault("20")
        @DecimalMin(value = "0", inclusive = false)
        double rate();

        @WithDefault("2")
        @Min(1)
        int dims();

        /** Number of waveform shapes or kinds of sound (labels), at most 6. */
        @WithDefault("4")
        @Min(1)
        @Max(6)
        int classes();

        @WithName("min-length")
        @WithDefault("30")
        @Min(1)
        int minLength();

        @WithName("max-length")
        @WithDefault("120")
        @Min(1)
        int maxLength();

        /** Standard deviation of the Gaussian noise added to every value. */
        @WithDefault("0.2")
        @DecimalMin("0")
        double noise();

        @WithDefault("1")
        long seed();

        /** Demo assignments per model version between two logged ACC/NMI/RI scores. */
        @WithName("score-every")
        @WithDefault("500")
        @Min(1)
        int scoreEvery();
    }

    enum DemoKind { sequences, audio }

    enum RegistryApi { apicurio, confluent }

    interface Models {
        /**
         * Shared secret of the HMAC-SHA256 that signs each checkpoint (header seqclust.signature): set, a
         * checkpoint that is unsigned or whose signature does not match is never served. Same on every replica.
         */
        @WithName("signing-key")
        Optional<@Size(min = 16) String> signingKey();
    }

    interface Admin {
        /**
         * Bearer token that state-changing calls ({@code POST /api/training}) must carry as
         * {@code Authorization: Bearer <token>}; unset, they are open to whoever reaches the HTTP port.
         */
        Optional<String> token();
    }

    interface Broker {
        /** Port of the embedded broker (0 picks a free one). Read by the launcher, before Quarkus starts. */
        @WithDefault("9092")
        @Min(0)
        @Max(65535)
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
