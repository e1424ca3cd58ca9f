package io.seqclust.clustering;

import io.seqclust.model.Adam;
import io.seqclust.model.EncoderEngine;
import io.seqclust.model.Gru;
import io.seqclust.model.RddcNetwork;
import io.seqclust.model.Softmax;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * RDDC (Trosten et al., 2019): a stacked bidirectional GRU with the DDC head and loss, trained from
 * several random starts; one is chosen (or the better half vote) by a label-free {@link RunSelection}.
 */
public final class Rddc implements ClusteringAlgorithm {

    public static final String NAME = "rddc";

    /** How inputs are scaled before the network sees them. */
    public enum Normalization {
        /** Each channel standardised with the training window's statistics (kept in the checkpoint). */
        channel,
        /** Each sequence's channels z-normalised on their own (the UCR convention). */
        series
    }

    /** Every setting of a training run; defaults follow the paper where it gives them. */
    public record Settings(int k, int hiddenUnits, int layers, int denseUnits, int epochs, int batchSize,
                           double learningRate, double clipNorm, int restarts, RunSelection selection,
                           Normalization normalization, EncoderEngine.Kind engine, Gru.Init gruInit) {

        public static Settings defaults(int k) {
            return new Settings(k, 32, 2, 100, 50, 100, 1e-3, 5.0, 5, RunSelection.vote, Normalization.channel, EncoderEngine.Kind.auto,
                    Gru.Init.he);
        }

        public Settings withEpochs(int e) {
            return new Settings(k, hiddenUnits, layers, denseUnits, e, batchSize, learningRate, clipNorm, restarts, selection, normalization, engine, gruInit);
        }

        public Settings withRestarts(int r) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, learningRate, clipNorm, r, selection, normalization, engine, gruInit);
        }

        public Settings withSelection(RunSelection s) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, learningRate, clipNorm, restarts, s, normalization, engine, gruInit);
        }

        public Settings withLearningRate(double lr) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, lr, clipNorm, restarts, selection, normalization, engine, gruInit);
        }

        public Settings withEngine(EncoderEngine.Kind e) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, learningRate, clipNorm, restarts, selection, normalization, e, gruInit);
        }

        public Settings withGruInit(Gru.Init i) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, learningRate, clipNorm, restarts, selection, normalization, engine, i);
        }

        public Settings withNormalization(Normalization n) {
            return new Settings(k, hiddenUnits, layers, denseUnits, epochs, batchSize, learningRate, clipNorm, restarts, selection, n, engine, gruInit);
        }
    }

    /** Every restart's outcome and what the selection rule made of them. */
    public record Outcome(List<RunSelection.Run> runs, int chosen, int[] labels, Assigner assigner) {
    }

    private final Settings settings;

    public Rddc(Settings settings) {
        if (settings.restarts() < 1 || settings.restarts() > 20) {
            throw new IllegalArgumentException("rddc restarts must be 1..20, was " + settings.restarts());
        }
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Assigner train(List<double[][]> window, long seed, TrainingProgress progress) {
        return fit(window, seed, progress).assigner();
    }

    /** Trains every restart and applies the selection rule; the labels are those of the window's sequences. */
    public Outcome fit(List<double[][]> window, long seed, TrainingProgress progress) {
        int k = settings.k();
        TrainingData prepared = TrainingData.of(NAME, window, k, settings.normalization());
        List<double[][]> data = prepared.sequences();
        double[][] stats = prepared.stats();
        List<RddcNetwork> nets = new ArrayList<>();
        List<RunSelection.Run> runs = new ArrayList<>();
        int totalEpochs = settings.restarts() * settings.epochs();
        for (int r = 0; r < settings.restarts(); r++) {
            int done = r * settings.epochs();
            RddcNetwork net = trainRun(prepared, seed * 1_000_003L + r, (epoch, total, loss) -> progress.report(done + epoch, totalEpochs, loss));
            int[] labels = new int[data.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Softmax.argmax(net.assign(data.get(i)));
            }
            nets.add(net);
            runs.add(new RunSelection.Run(net.meanLoss(prepared.batches(settings.batchSize(), new Random(seed))), labels));
        }
        int chosen = settings.selection().choose(runs);
        int[] labels = settings.selection().labels(runs, k);
        List<RddcNetwork> members = new ArrayList<>();
        List<int[]> permutations = new ArrayList<>();
        if (settings.selection() == RunSelection.vote) {
            for (int i = 0; i < runs.size(); i++) {
                if (isVoter(runs, i)) {
                    members.add(nets.get(i));
                    permutations.add(ClusterAlignment.permutation(runs.get(chosen).labels(), runs.get(i).labels(), k));
                }
            }
        } else {
            members.add(nets.get(chosen));
            permutations.add(ClusterAlignment.identity(k));
        }
        return new Outcome(runs, chosen, labels, new Trained(settings.normalization(), stats, members, permutations));
    }

    private RddcNetwork trainRun(TrainingData data, long seed, TrainingProgress progress) {
        Random random = new Random(seed);
        RddcNetwork net = new RddcNetwork(data.sequences().get(0)[0].length, settings.k(), settings.hiddenUnits(), settings.layers(),
                settings.denseUnits(), random, settings.engine(), settings.gruInit());
        Adam adam = new Adam(net.params(), settings.learningRate());
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            double sum = 0;
            List<List<double[][]>> batches = data.batches(settings.batchSize(), random);
            for (List<double[][]> batch : batches) {
                sum += net.lossAndGradients(batch).total();
                Adam.clipGradNorm(net.params(), settings.clipNorm());
                adam.step();
            }
            progress.report(epoch, settings.epochs(), sum / batches.size());
        }
        return net;
    }

    private boolean isVoter(List<RunSelection.Run> runs, int i) {
        long better = runs.stream().filter(r -> r.loss() < runs.get(i).loss()).count();
        return better < Math.max(1, (runs.size() + 1) / 2);
    }

    /** Per-channel mean and standard deviation over every time step of every sequence. */
    static double[][] channelStats(List<double[][]> window, int dims) {
        double[] mean = new double[dims];
        double[] sq = new double[dims];
        long count = 0;
        for (double[][] x : window) {
            for (double[] row : x) {
                for (int d = 0; d < dims; d++) {
                    mean[d] += row[d];
                    sq[d] += row[d] * row[d];
                }
                count++;
            }
        }
        double[] std = new double[dims];
        for (int d = 0; d < dims; d++) {
            mean[d] /= count;
            double var = sq[d] / count - mean[d] * mean[d];
            std[d] = var > 1e-24 ? Math.sqrt(var) : 1;
        }
        return new double[][] {mean, std};
    }

    static double[][] normalise(double[][] x, Normalization how, double[][] stats) {
        int dims = x[0].length;
        double[] mean = stats == null ? new double[dims] : stats[0];
        double[] std = stats == null ? new double[dims] : stats[1];
        if (how == Normalization.series) {
            double[][] own = channelStats(java.util.Collections.singletonList(x), dims);
            mean = own[0];
            std = own[1];
        }
        double[][] out = new double[x.length][dims];
        for (int t = 0; t < x.length; t++) {
            for (int d = 0; d < dims; d++) {
                out[t][d] = (x[t][d] - mean[d]) / std[d];
            }
        }
        return out;
    }

    /** Per-channel statistics (or null) as {@link #readStats} reads them. */
    static void writeStats(DataOutputStream out, double[][] stats) throws IOException {
        out.writeBoolean(stats != null);
        if (stats != null) {
            out.writeInt(stats[0].length);
            for (double[] v : stats) {
                for (double x : v) {
                    out.writeDouble(x);
                }
            }
        }
    }

    static double[][] readStats(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int dims = in.readInt();
        double[][] stats = new double[2][dims];
        for (double[] v : stats) {
            for (int d = 0; d < dims; d++) {
                v[d] = in.readDouble();
            }
        }
        return stats;
    }

    /** Restores a model from {@link Assigner#payload()}. */
    public static Assigner restore(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            Normalization normalization = Normalization.values()[in.readInt()];
            double[][] stats = readStats(in);
            int count = in.readInt();
            List<RddcNetwork> members = new ArrayList<>();
            List<int[]> permutations = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                RddcNetwork net = RddcNetwork.read(in);
                int[] perm = new int[net.k];
                for (int i = 0; i < perm.length; i++) {
                    perm[i] = in.readInt();
                }
                members.add(net);
                permutations.add(perm);
            }
            return new Trained(normalization, stats, members, permutations);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt rddc payload: " + e, e);
        }
    }

    /**
     * The served model: the chosen network, or for {@code vote} the voting networks with their clusters
     * aligned to the best one, probabilities averaged.
     */
    record Trained(Normalization normalization, double[][] stats, List<RddcNetwork> members, List<int[]> permutations)
            implements Assigner {

        @Override
        public int k() {
            return members.get(0).k;
        }

        @Override
        public int dims() {
            return members.get(0).dims;
        }

        @Override
        public double[] probabilities(double[][] values) {
            double[][] x = normalise(values, normalization, stats);
            double[] p = new double[k()];
            for (int m = 0; m < members.size(); m++) {
                double[] own = members.get(m).assign(x);
                int[] perm = permutations.get(m);
                for (int i = 0; i < own.length; i++) {
                    p[perm[i]] += own[i] / members.size();
                }
            }
            return p;
        }

        @Override
        public byte[] payload() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(normalization.ordinal());
                writeStats(out, stats);
                out.writeInt(members.size());
                for (int m = 0; m < members.size(); m++) {
                    members.get(m).write(out);
                    for (int p : permutations.get(m)) {
                        out.writeInt(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
