package io.seqclust.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to assign with a trained model, as it travels on the models topic: a header (format
 * version, model, settings, cluster count, dims, the stable id of each cluster) and the model's serving
 * payload, checked by its SHA-256.
 * <p>
 * Format 3, big-endian: magic "SQCK", format version, model version, creation time, model name, settings
 * (JSON), k, dims, window size, k permutation entries, SHA-256 of the payload (32 bytes), payload length,
 * payload, then named sections (count; each a name, a length and its bytes; a reader skips the ones it
 * does not know, so that what travels with a model can grow without a new format). The SHA-256 covers the
 * payload and the sections. Format 2 is format 3
 * without sections, and is read. Format 1 (magic "SQK1", before this codec) is recognised and rejected.
 *
 * @param settings       the model's settings as JSON, for people and tools (serving reads only the payload)
 * @param permutation    the stable cluster id of each of the model's own clusters, so that ids keep their
 *                       meaning across retrains
 * @param windowSize     sequences the model was trained on
 * @param lineage        what the model was trained on and how it relates to the one before it
 */
public record Checkpoint(String model, long version, long createdAt, String settings, int k, int dims, int windowSize,
                         int[] permutation, byte[] payload, Lineage lineage) {

    /**
     * @param trainedThrough per partition of the sequences topic, the offset after the last record the training
     *                       window had read: records from there on are new to this model (empty: not known)
     * @param reference      the training window as the drift score compares the live stream with it; null if not known
     * @param anchors        a sample of the training window, a few sequences of each cluster, that the next model
     *                       is compared with this one on (empty: none)
     * @param agreement      how this model agreed with the one it replaced, on that one's anchors; null if none
     */
    public record Lineage(Map<Integer, Long> trainedThrough, Reference reference, List<double[][]> anchors, Agreement agreement) {
        public static final Lineage NONE = new Lineage(Map.of(), null, List.of(), null);

        public Lineage {
            trainedThrough = Collections.unmodifiableMap(new TreeMap<>(trainedThrough));
            anchors = List.copyOf(anchors);
        }
    }

    /** Agreement of a model with the previous one on that one's anchors: ARI and NMI of their cluster ids. */
    public record Agreement(long previousVersion, double ari, double nmi, int anchors) {
    }

    /**
     * What the model's training window looked like: the share of each (stable) cluster, the mean confidence,
     * and the mean and standard deviation over its sequences of model-agnostic statistics.
     */
    public record Reference(double[] mix, double confidence, double[] featureMean, double[] featureSd, int records) {
    }

    /** The record key under which the served checkpoint lives on the (compacted) models topic. */
    public static final String TOPIC_KEY = "current";
    /** Header of every models topic record the trainer writes: the checkpoint's version, readable by any build. */
    public static final String VERSION_HEADER = "seqclust.model.version";
    public static final int FORMAT_VERSION = 3;
    private static final int FORMAT_WITHOUT_SECTIONS = 2;
    private static final String TRAINED_THROUGH = "trained-through";
    private static final String REFERENCE = "reference";
    private static final String ANCHORS = "anchors";
    private static final String AGREEMENT = "agreement";
    /** More partitions than a topic may have; it bounds what a section may ask to allocate. */
    private static final int MAX_PARTITIONS = 1 << 16;
    private static final int MAGIC = 0x5351434b; // "SQCK"
    private static final int FORMAT_1_MAGIC = 0x53514b31; // "SQK1"
    private static final int SHA_256_BYTES = 32;
    /** More clusters than any model here can train; it bounds what a header may ask to allocate. */
    private static final int MAX_K = 1 << 16;

    public Checkpoint {
        if (permutation.length != k) {
            throw new IllegalArgumentException("a checkpoint of k = " + k + " needs " + k + " permutation entries, got "
                    + permutation.length);
        }
        lineage = lineage == null ? Lineage.NONE : lineage;
    }

    /** A checkpoint that does not say what it was trained on. */
    public Checkpoint(String model, long version, long createdAt, String settings, int k, int dims, int windowSize,
                      int[] permutation, byte[] payload) {
        this(model, version, createdAt, settings, k, dims, windowSize, permutation, payload, Lineage.NONE);
    }

    /** The same model under another version number, created now, as trained through {@code through}. */
    public Checkpoint republished(long newVersion, long now, Map<Integer, Long> through) {
        return new Checkpoint(model, newVersion, now, settings, k, dims, windowSize, permutation, payload,
                new Lineage(through, lineage.reference(), lineage.anchors(), null));
    }

    public Map<Integer, Long> trainedThrough() {
        return lineage.trainedThrough();
    }

    public Reference reference() {
        return lineage.reference();
    }

    public List<double[][]> anchors() {
        return lineage.anchors();
    }

    public Agreement agreement() {
        return lineage.agreement();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + settings.length() + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(version);
            out.writeLong(createdAt);
            out.writeUTF(model);
            out.writeUTF(settings);
            out.writeInt(k);
            out.writeInt(dims);
            out.writeInt(windowSize);
            for (int p : permutation) {
                out.writeInt(p);
            }
            byte[] sections = sections();
            out.write(sha256(payload, sections));
            out.writeInt(payload.length);
            out.write(payload);
            out.write(sections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private byte[] sections() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Reference reference = lineage.reference();
            out.writeInt(3 + (reference == null ? 0 : 1));
            out.writeUTF(TRAINED_THROUGH);
            out.writeInt(Integer.BYTES + trainedThrough().size() * (Integer.BYTES + Long.BYTES));
            out.writeInt(trainedThrough().size());
            for (Map.Entry<Integer, Long> e : trainedThrough().entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
            writeAnchors(out, lineage.anchors());
            Agreement a = lineage.agreement();
            out.writeUTF(AGREEMENT);
            out.writeInt(a == null ? 0 : Long.BYTES + 2 * Double.BYTES + Integer.BYTES);
            if (a != null) {
                out.writeLong(a.previousVersion());
                out.writeDouble(a.ari());
                out.writeDouble(a.nmi());
                out.writeInt(a.anchors());
            }
            if (reference != null) {
                out.writeUTF(REFERENCE);
                int f = reference.featureMean().length;
                out.writeInt(Integer.BYTES * 3 + Double.BYTES * (reference.mix().length + 1 + 2 * f));
                out.writeInt(reference.mix().length);
                for (double v : reference.mix()) {
                    out.writeDouble(v);
                }
                out.writeDouble(reference.confidence());
                out.writeInt(f);
                for (int j = 0; j < f; j++) {
                    out.writeDouble(reference.featureMean()[j]);
                    out.writeDouble(reference.featureSd()[j]);
                }
                out.writeInt(reference.records());
            }
        }
        return bytes.toByteArray();
    }

    /** Each anchor as its length, its width and its values as 32-bit floats (plenty to compare two models on). */
    private static void writeAnchors(DataOutputStream out, List<double[][]> anchors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream a = new DataOutputStream(bytes)) {
            a.writeInt(anchors.size());
            for (double[][] x : anchors) {
                a.writeInt(x.length);
                a.writeInt(x[0].length);
                for (double[] row : x) {
                    for (double v : row) {
                        a.writeFloat((float) v);
                    }
                }
            }
        }
        out.writeUTF(ANCHORS);
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    /** @throws IllegalArgumentException when the bytes are not a checkpoint this build reads, saying why */
    public static Checkpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic == FORMAT_1_MAGIC) {
                throw unsupported(1);
            }
            if (magic != MAGIC) {
                throw new IllegalArgumentException("not a seqclust checkpoint (bad magic number)");
            }
            int format = in.readInt();
            if (format != FORMAT_VERSION && format != FORMAT_WITHOUT_SECTIONS) {
                throw unsupported(format);
            }
            long version = in.readLong();
            long createdAt = in.readLong();
            String model = in.readUTF();
            String settings = in.readUTF();
            int k = in.readInt();
            int dims = in.readInt();
            int windowSize = in.readInt();
            if (k < 1 || k > MAX_K || dims < 1) {
                throw new IllegalArgumentException("checkpoint header with k = " + k + ", dims = " + dims);
            }
            if ((long) k * Integer.BYTES > in.available()) {
                throw new IllegalArgumentException("checkpoint header of k = " + k + " is longer than the record");
            }
            int[] permutation = new int[k];
            for (int i = 0; i < k; i++) {
                permutation[i] = in.readInt();
            }
            byte[] digest = in.readNBytes(SHA_256_BYTES);
            int length = in.readInt();
            if (length < 0 || (format == FORMAT_WITHOUT_SECTIONS ? length != in.available() : length > in.available())) {
                throw new IllegalArgumentException("checkpoint payload length " + length + " does not match the "
                        + in.available() + " bytes that follow it");
            }
            byte[] payload = in.readNBytes(length);
            byte[] rest = in.readAllBytes();
            if (!MessageDigest.isEqual(digest, sha256(payload, rest))) {
                throw new IllegalArgumentException("checkpoint payload does not match its SHA-256 (" + HexFormat.of().formatHex(digest)
                        + "): corrupt");
            }
            return new Checkpoint(model, version, createdAt, settings, k, dims, windowSize, permutation, payload,
                    format == FORMAT_WITHOUT_SECTIONS ? Lineage.NONE : readSections(rest));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt checkpoint: " + e, e);
        }
    }

    /** The sections this build knows. */
    private static Lineage readSections(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Map<Integer, Long> trainedThrough = Map.of();
            Reference reference = null;
            List<double[][]> anchors = List.of();
            Agreement agreement = null;
            int sections = in.readInt();
            for (int i = 0; i < sections; i++) {
                String name = in.readUTF();
                int bytesOf = in.readInt();
                if (bytesOf < 0 || bytesOf > in.available()) {
                    throw new IllegalArgumentException("checkpoint section " + name + " of " + bytesOf
                            + " bytes is longer than the record");
                }
                byte[] section = in.readNBytes(bytesOf);
                if (name.equals(TRAINED_THROUGH)) {
                    trainedThrough = readOffsets(section);
                } else if (name.equals(REFERENCE)) {
                    reference = readReference(section);
                } else if (name.equals(ANCHORS)) {
                    anchors = readAnchors(section);
                } else if (name.equals(AGREEMENT) && section.length > 0) {
                    DataInputStream a = new DataInputStream(new ByteArrayInputStream(section));
                    agreement = new Agreement(a.readLong(), a.readDouble(), a.readDouble(), a.readInt());
                }
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " bytes after the checkpoint's last section");
            }
            return new Lineage(trainedThrough, reference, anchors, agreement);
        }
    }

    private static List<double[][]> readAnchors(byte[] section) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(section));
        int n = in.readInt();
        if (n < 0 || (long) n * 2 * Integer.BYTES > in.available()) {
            throw new IllegalArgumentException("checkpoint section " + ANCHORS + " of " + n + " sequences in " + section.length + " bytes");
        }
        List<double[][]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int steps = in.readInt();
            int width = in.readInt();
            if (steps < 1 || width < 1 || (long) steps * width * Float.BYTES > in.available()) {
                throw new IllegalArgumentException("checkpoint anchor " + i + " of " + steps + " × " + width + " is longer than its section");
            }
            double[][] x = new double[steps][width];
            for (double[] row : x) {
                for (int d = 0; d < width; d++) {
                    row[d] = in.readFloat();
                }
            }
            out.add(x);
        }
        return out;
    }

    private static Reference readReference(byte[] section) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(section));
        int k = in.readInt();
        if (k < 1 || (long) k * Double.BYTES > in.available()) {
            throw new IllegalArgumentException("checkpoint section " + REFERENCE + " of k = " + k + " in " + section.length + " bytes");
        }
        double[] mix = new double[k];
        for (int c = 0; c < k; c++) {
            mix[c] = in.readDouble();
        }
        double confidence = in.readDouble();
        int f = in.readInt();
        if (f < 1 || (long) f * 2 * Double.BYTES + Integer.BYTES != in.available()) {
            throw new IllegalArgumentException("checkpoint section " + REFERENCE + " of " + f + " statistics in " + section.length + " bytes");
        }
        double[] mean = new double[f];
        double[] sd = new double[f];
        for (int j = 0; j < f; j++) {
            mean[j] = in.readDouble();
            sd[j] = in.readDouble();
        }
        return new Reference(mix, confidence, mean, sd, in.readInt());
    }

    private static Map<Integer, Long> readOffsets(byte[] section) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(section));
        int n = in.readInt();
        if (n < 0 || n > MAX_PARTITIONS || (long) n * (Integer.BYTES + Long.BYTES) != in.available()) {
            throw new IllegalArgumentException("checkpoint section " + TRAINED_THROUGH + " of " + n + " partitions in "
                    + section.length + " bytes");
        }
        Map<Integer, Long> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int partition = in.readInt();
            long offset = in.readLong();
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException("checkpoint section " + TRAINED_THROUGH + ": partition " + partition
                        + ", offset " + offset);
            }
            out.put(partition, offset);
        }
        return out;
    }

    private static IllegalArgumentException unsupported(int format) {
        return new IllegalArgumentException("checkpoint format version " + format + " is not supported: this build reads"
                + " format versions " + FORMAT_WITHOUT_SECTIONS + " and " + FORMAT_VERSION
                + (format < FORMAT_VERSION ? "; retrain to publish the model in format " + FORMAT_VERSION : ""));
    }

    /** Of the payload and the sections after it: a flipped bit anywhere after the header is caught. */
    private static byte[] sha256(byte[] payload, byte[] sections) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(payload);
            return digest.digest(sections);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return model + " v" + version + " (k=" + k + ", D=" + dims + ", " + payload.length + "-byte payload, permutation "
                + Arrays.toString(permutation) + ")";
    }
}
