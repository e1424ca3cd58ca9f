package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.Normalizer.Normalization;
import io.seqclust.model.engine.EngineKind;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.layer.Gru;
import io.seqclust.model.loss.DdcLoss;
import io.seqclust.model.loss.LossTerms;
import io.seqclust.model.network.RddcNetwork;
import io.seqclust.model.train.NonFiniteLossException;
import io.seqclust.model.train.Progress;
import io.seqclust.model.train.TrainingProgress;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * RDDC (Trosten et al., 2019): a stacked bidirectional GRU with the DDC head and loss, trained from
 * several random starts; one is chosen (or the better half vote) by a label-free {@link RunSelection}.
 */
public final class Rddc implements ClusteringAlgorithm {

    public static final String ID = "rddc";

    /** Every setting of a training run; defaults follow the paper where it gives them. */
    public record Settings(
            @Setting("GRU units per direction") @Min(1) @Max(4096) int hiddenUnits,
            @Setting("stacked bidirectional GRU layers") @Min(1) @Max(16) int layers,
            @Setting("units of the fully connected layer (the hidden representation)") @Min(1) @Max(4096) int denseUnits,
            @Setting("training epochs per run") @Min(1) @Max(1_000_000) int epochs,
            @Setting("optimiser steps per run; above 0 they replace epochs") @Min(0) @Max(1_000_000_000) int steps,
            @Setting(GradientTraining.MIN_STEPS) @Min(0) @Max(1_000_000_000) int minSteps,
            @Setting("optimiser steps per run of pretraining first: the encoder with a GRU decoder on reconstruction alone,"
                    + " before the DDC loss (0: none)") @Min(0) @Max(1_000_000_000) int pretrainSteps,
            @Setting("sequences per batch, more than k (a last batch of k or fewer is dropped)") @Min(2) @Max(1_000_000) int batchSize,
            @Setting("Adam's learning rate") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double learningRate,
            @Setting("global gradient-norm clipping") @DecimalMin(value = "0", inclusive = false) double clipNorm,
            @Setting("runs from different random starts") @Min(1) @Max(20) int restarts,
            @Setting("how a run is chosen without labels: loss, consensus, vote or separation (the lowest DDC L1 term)") @NotNull RunSelection selection,
            @Setting(Normalizer.SETTING)
            @NotNull Normalization normalization,
            @Setting("where training runs: auto (nd4j in the gpu build, else packed when the Vector API is there, else java), packed, java or nd4j") @NotNull EngineKind engine,
            @Setting("how the GRUs' weights start: he or uniform (PyTorch's)") @NotNull Gru.Init gruInit) implements GradientTraining {

        public static final Settings DEFAULTS = new Settings(32, 2, 100, 30, 0, 500, 0, 100, 1e-3, 5.0, 5, RunSelection.VOTE,
                Normalization.CHANNEL, EngineKind.AUTO, Gru.Init.HE);
    }

    private static final int MAX_MEMBERS = 20;

    private final Settings settings;
    private final int k;

    public Rddc(Settings settings, int k) {
        if (k < 2 || settings.batchSize() <= k) {
            throw new IllegalArgumentException("rddc needs k >= 2 and a batch size above k; k = " + k + ", batch size "
                    + settings.batchSize());
        }
        this.settings = settings;
        this.k = k;
    }

    /** Trains every restart and applies the selection rule; the labels are those of the window's sequences. */
    @Override
    public Fit fit(List<double[][]> window, long seed, TrainingProgress progress) {
        TrainingSet set = TrainingSet.of(ID, window, k, settings);
        List<double[][]> data = set.data();
        Progress.Clock clock = new Progress.Clock(settings.restarts() * set.epochs(), progress);
        List<RddcNetwork.Serving> nets = new ArrayList<>();
        List<RunSelection.Run> runs = new ArrayList<>();
        List<Fit.Candidate> diverged = new ArrayList<>();
        for (int r = 0; r < settings.restarts(); r++) {
            Random random = new Random(seed * 1_000_003L + r);
            RddcNetwork net = new RddcNetwork(set.dims(), k, settings.hiddenUnits(), settings.layers(), settings.denseUnits(), random,
                    settings.engine(), settings.gruInit());
            double loss;
            double separation = Double.NaN;
            try {
                set.pretrain(net.pretraining(random), random, clock);
                set.train(net, random, clock);
                LossTerms terms = net.meanLoss(data, settings.batchSize(), new Random(seed));
                loss = terms.total();
                separation = terms.terms().get(DdcLoss.CLUSTER_SEPARATION);
            } catch (NonFiniteLossException e) {
                loss = Double.NaN;
            }
            if (!Double.isFinite(loss)) {
                // a run that diverged neither votes nor serves
                diverged.add(new Fit.Candidate("run " + (r + 1) + " (diverged)", Double.NaN, null));
                continue;
            }
            RddcNetwork.Serving served = net.serving();
            int[] labels = new int[data.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Activations.argmax(served.assign(data.get(i)));
            }
            nets.add(served);
            runs.add(new RunSelection.Run(loss, separation, labels));
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("every one of the " + settings.restarts() + " rddc runs diverged (a non-finite loss)");
        }
        RunSelection selection = settings.selection();
        int chosen = selection.choose(runs);
        List<RddcNetwork.Serving> members = new ArrayList<>();
        List<int[]> permutations = new ArrayList<>();
        if (selection == RunSelection.VOTE) {
            List<Integer> voters = RunSelection.voters(runs);
            for (int i = 0; i < runs.size(); i++) {
                if (voters.contains(i)) {
                    members.add(nets.get(i));
                    permutations.add(ClusterAlignment.permutation(runs.get(chosen).labels(), runs.get(i).labels(), k));
                }
            }
        } else {
            members.add(nets.get(chosen));
            permutations.add(ClusterAlignment.identity(k));
        }
        List<Fit.Candidate> candidates = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            candidates.add(new Fit.Candidate("run " + (r + 1), runs.get(r).loss(), runs.get(r).labels()));
        }
        candidates.addAll(diverged);
        for (RunSelection rule : RunSelection.values()) {
            candidates.add(new Fit.Candidate("rule " + ModelSettings.display(rule), runs.get(rule.choose(runs)).loss(),
                    rule.labels(runs, k)));
        }
        return new Fit(new Served(set.normalizer(), members, permutations), selection.labels(runs, k), runs.get(chosen).loss(),
                candidates);
    }

    /** Reads what {@link Served#write} wrote. */
    static Assigner read(PayloadReader in) {
        Normalizer normalizer = Normalizer.read(in);
        int count = in.readInt("rddc ensemble members", 1, MAX_MEMBERS);
        List<RddcNetwork.Serving> members = new ArrayList<>();
        List<int[]> permutations = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            var encoder = NetworkCodec.readEncoder(in);
            normalizer.requireDims(encoder.in(), "rddc member " + m);
            var norm = NetworkCodec.readBatchNorm(in, encoder.outputSize());
            var hidden = NetworkCodec.readDense(in, encoder.outputSize(), "fully connected layer");
            var output = NetworkCodec.readDense(in, hidden.out(), "output layer");
            members.add(new RddcNetwork.Serving(encoder, norm, hidden, output));
            permutations.add(in.readInts("member permutation", output.out()));
        }
        return new Served(normalizer, members, permutations);
    }

    /**
     * The served model: the chosen network, or for {@code vote} the voting networks with their clusters
     * aligned to the best one, probabilities averaged.
     */
    private record Served(Normalizer normalizer, List<RddcNetwork.Serving> members, List<int[]> permutations)
            implements Assigner {

        private Served {
            RddcNetwork.Serving first = members.get(0);
            for (RddcNetwork.Serving m : members) {
                if (m.k() != first.k() || m.dims() != first.dims()) {
                    throw new IllegalArgumentException("rddc ensemble members of different shapes");
                }
            }
        }

        @Override
        public int k() {
            return members.get(0).k();
        }

        @Override
        public int dims() {
            return members.get(0).dims();
        }

        @Override
        public double[] probabilities(double[][] values) {
            double[][] x = normalizer.apply(values);
            double[] p = new double[k()];
            for (int m = 0; m < members.size(); m++) {
                ClusterAlignment.addAligned(p, members.get(m).assign(x), permutations.get(m), 1.0 / members.size());
            }
            return p;
        }

        @Override
        public double[][] probabilities(List<double[][]> batch) {
            List<double[][]> x = batch.stream().map(normalizer::apply).toList();
            double[][] p = new double[batch.size()][k()];
            for (int m = 0; m < members.size(); m++) {
                ClusterAlignment.addAligned(p, members.get(m).assignAll(x), permutations.get(m), 1.0 / members.size());
            }
            return p;
        }

        @Override
        public void write(PayloadWriter out) {
            normalizer.write(out);
            out.writeInt(members.size());
            for (int m = 0; m < members.size(); m++) {
                RddcNetwork.Serving s = members.get(m);
                NetworkCodec.writeEncoder(out, s.encoder());
                NetworkCodec.writeBatchNorm(out, s.norm());
                NetworkCodec.writeDense(out, s.hidden());
                NetworkCodec.writeDense(out, s.output());
                out.writeInts(permutations.get(m));
            }
        }
    }
}
