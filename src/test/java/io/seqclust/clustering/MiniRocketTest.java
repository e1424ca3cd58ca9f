package io.seqclust.clustering;

import io.seqclust.clustering.MiniRocketFeatures.Kernel;
import io.seqclust.demo.DemoStream;
import io.seqclust.evaluation.ClusteringScores;
import io.seqclust.math.Interpolation;
import io.seqclust.model.layer.Activations;
import io.seqclust.model.train.TrainingProgress;
import io.seqclust.testing.Gaussian;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniRocketTest {

    private static final List<MiniRocketFeatures.Lanes> LANES = List.of(new MiniRocketFeatures.ScalarLanes(), new VectorLanes());

    /** Weights pattern 0 raises taps 0, 1 and 2 to 2: at dilation 1, over 0..9 the outputs are known by hand. */
    @Test
    void aKernelsFeatureIsItsShareOfOutputsAboveTheBias() {
        double[][] x = column(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // unpadded, the outputs whose nine taps are all inside: t = 4 reads 0..8, 3 · (0 + 1 + 2) − 36 = −27;
        // t = 5 reads 1..9, 3 · (1 + 2 + 3) − 45 = −27; both above −28, neither above −27 nor −26
        Kernel unpadded = new Kernel(1, 0, new int[] {0}, false, new float[] {-28, -27, -26});
        // padded, ten outputs, taps outside 0..9 read zeros: 3 · (x[t − 4] + x[t − 3] + x[t − 2]) − Σ x[t − 4 .. t + 4]
        // = −10, −15, −21, −25, −27, −27, −17, −6, 6, 19
        Kernel padded = new Kernel(1, 0, new int[] {0}, true, new float[] {0, -10});
        for (MiniRocketFeatures.Lanes lanes : LANES) {
            assertArrayEquals(new double[] {1, 0, 0}, MiniRocketFeatures.of(new Kernel[] {unpadded}, x, lanes), 0);
            assertArrayEquals(new double[] {0.2, 0.3}, MiniRocketFeatures.of(new Kernel[] {padded}, x, lanes), 0);
        }
    }

    private static double[][] column(double... values) {
        return Arrays.stream(values).mapToObj(v -> new double[] {v}).toArray(double[][]::new);
    }

    /**
     * Both lanes give, to the bit, the features of the definition in float32 (each output channel by channel:
     * the three raised taps tripled, then less the nine taps, zeros outside the sequence), for kernels drawn
     * from windows of every length from shorter than a kernel, of one to six channels; so does the thread's kept
     * layout, which each trial's sequence reuses after the last one's, longer or shorter, of more channels or fewer.
     */
    @Test
    void featuresAreThoseOfThePerOutputDefinition() {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int dims = 1 + random.nextInt(6);
            List<double[][]> window = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                window.add(Gaussian.matrix(random, 1 + random.nextInt(trial < 60 ? 12 : 150), dims));
            }
            Kernel[] kernels = MiniRocketFeatures.fit(window, 84 * (1 + random.nextInt(4)), 1 + random.nextInt(32), 9, random);
            double[][] x = Gaussian.matrix(random, 1 + random.nextInt(trial < 60 ? 12 : 150), dims);
            List<Double> expected = new ArrayList<>();
            for (Kernel kernel : kernels) {
                float[] c = definition(kernel, x);
                int inside = x.length - 8 * kernel.dilation();
                int from = !kernel.padded() && inside >= 1 ? 4 * kernel.dilation() : 0;
                int n = from > 0 ? inside : x.length;
                for (float bias : kernel.biases()) {
                    int above = 0;
                    for (int t = from; t < from + n; t++) {
                        above += c[t] > bias ? 1 : 0;
                    }
                    expected.add((double) above / n);
                }
            }
            double[] want = expected.stream().mapToDouble(Double::doubleValue).toArray();
            for (MiniRocketFeatures.Lanes lanes : LANES) {
                assertArrayEquals(want, MiniRocketFeatures.of(kernels, x, lanes), 0, lanes.getClass().getSimpleName() + ", trial " + trial);
            }
            double[] scratch = new double[want.length + 3];
            Arrays.fill(scratch, Double.NaN);
            MiniRocketFeatures.into(kernels, x, scratch);
            assertArrayEquals(want, Arrays.copyOf(scratch, want.length), 0, "this thread's kept arrays, trial " + trial);
        }
    }

    /** The kernel's output at every step, padded with zeros, in the lanes' order of float operations. */
    private static float[] definition(Kernel kernel, double[][] x) {
        int[] raised = raised(kernel.raised());
        float[] c = new float[x.length];
        for (int t = 0; t < x.length; t++) {
            for (int channel : kernel.channels()) {
                float sum = 0f;
                float[] tripled = new float[3];
                for (int j = 0; j < 9; j++) {
                    sum -= value(x, t + (j - 4) * kernel.dilation(), channel);
                }
                for (int r = 0; r < 3; r++) {
                    float v = value(x, t + (raised[r] - 4) * kernel.dilation(), channel);
                    tripled[r] = v + v + v;
                }
                c[t] += ((tripled[0] + tripled[1]) + tripled[2]) + sum;
            }
        }
        return c;
    }

    private static float value(double[][] x, int t, int channel) {
        return t >= 0 && t < x.length ? (float) x[t][channel] : 0f;
    }

    /** The n-th choice of three taps of nine in lexicographic order. */
    private static int[] raised(int n) {
        int i = 0;
        for (int a = 0; a < 9; a++) {
            for (int b = a + 1; b < 9; b++) {
                for (int c = b + 1; c < 9; c++) {
                    if (i++ == n) {
                        return new int[] {a, b, c};
                    }
                }
            }
        }
        throw new IllegalArgumentException("no choice " + n);
    }

    /**
     * MiniRocket's spread: 84 kernels at each dilation, dilations from 1 up to (L − 1) / 8 for the median length L,
     * every feature given a bias, the biases within the range of the outputs they were drawn from (so every
     * feature can vary); a window shorter than a kernel gets dilation 1 only.
     */
    @Test
    void kernelsSpreadOverDilationsUpToTheTypicalLength() {
        Random random = new Random(2);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            window.add(Gaussian.matrix(random, 250 + random.nextInt(20), 2));
        }
        Kernel[] kernels = MiniRocketFeatures.fit(window, 10_000, 32, 9, random);
        assertEquals(84 * (10_000 / 84), MiniRocketFeatures.featureCount(kernels));
        int[] dilations = Arrays.stream(kernels).mapToInt(Kernel::dilation).distinct().toArray();
        assertEquals(1, dilations[0]);
        int median = window.stream().mapToInt(x -> x.length).sorted().toArray()[10];
        assertEquals((median - 1) / 8, dilations[dilations.length - 1], 1);
        assertEquals(84 * dilations.length, kernels.length);
        assertTrue(Arrays.stream(kernels).allMatch(k -> k.channels().length >= 1 && k.channels().length <= 2));

        List<double[][]> shortOnes = List.of(Gaussian.matrix(random, 5, 1), Gaussian.matrix(random, 6, 1), Gaussian.matrix(random, 4, 1));
        Kernel[] forShort = MiniRocketFeatures.fit(shortOnes, 840, 32, 9, random);
        assertTrue(Arrays.stream(forShort).allMatch(k -> k.dilation() == 1));
        double[] f = MiniRocketFeatures.of(forShort, Gaussian.matrix(random, 3, 1));
        assertTrue(Arrays.stream(f).allMatch(v -> v >= 0 && v <= 1), Arrays.toString(f));
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        float[] sorted = {0, 10, 20, 30};
        assertEquals(0, MiniRocketFeatures.quantile(sorted, 0f));
        assertEquals(15, MiniRocketFeatures.quantile(sorted, 0.5f), 1e-5);
        assertEquals(30, MiniRocketFeatures.quantile(sorted, 1f));
        assertEquals(7, MiniRocketFeatures.quantile(new float[] {7}, 0.3f));
    }

    /**
     * stablest: for one channel, PPV's draws and Hydra's both train, and the family whose draws agree more (mean NMI of
     * their partitions; PPV on a tie) serves, exactly as it would alone; for several channels, PPV's alone.
     */
    @Test
    void stablestServesTheFamilyWhoseDrawsAgreeMore() {
        Random random = new Random(4);
        int hydraServed = 0;
        for (int trial = 0; trial < 4; trial++) {
            List<double[][]> noise = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                noise.add(Gaussian.matrix(random, 20 + random.nextInt(20), 1));
            }
            Fit ppv = fitWith(MiniRocket.Transform.PPV, noise);
            Fit hydra = fitWith(MiniRocket.Transform.HYDRA, noise);
            Fit stablest = fitWith(MiniRocket.Transform.STABLEST, noise);
            double ppvAgreement = Ensemble.agreement(ppv.candidates().stream().map(Fit.Candidate::labels).toList());
            double hydraAgreement = Ensemble.agreement(hydra.candidates().stream().map(Fit.Candidate::labels).toList());
            Fit served = hydraAgreement > ppvAgreement ? hydra : ppv;
            hydraServed += served == hydra ? 1 : 0;
            assertArrayEquals(served.labels(), stablest.labels());
            assertArrayEquals(served.assigner().payload(), stablest.assigner().payload());
        }
        assertEquals(2, hydraServed, "on these windows of noise each family agrees more in two of four");
        assertArrayEquals(new boolean[] {false, true}, MiniRocket.Transform.STABLEST.families(1));
        assertArrayEquals(new boolean[] {false}, MiniRocket.Transform.STABLEST.families(2));
        assertArrayEquals(new boolean[] {true}, MiniRocket.Transform.AUTO.families(1));
        assertArrayEquals(new boolean[] {false}, MiniRocket.Transform.AUTO.families(3));
        assertArrayEquals(new boolean[] {true}, MiniRocket.Transform.HYDRA.families(3));
    }

    private static Fit fitWith(MiniRocket.Transform transform, List<double[][]> data) {
        MiniRocket.Settings settings = ModelSettings.bind(MiniRocket.Settings.DEFAULTS, key -> key.equals("transform") ? transform : null);
        return new MiniRocket(settings, 3).fit(data, 5, TrainingProgress.NONE);
    }

    @Test
    void clustersShapesOfDifferentLengths() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(150, new Random(1), labels);
        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        ClusteringScores scores = ClusteringScores.of(truth,
                new MiniRocket(MiniRocket.Settings.DEFAULTS, 3).fit(data, 1, TrainingProgress.NONE).labels());
        assertTrue(scores.acc() >= 0.9, scores.toString());
    }

    /**
     * Several kernel draws train and the medoid serves: the draw whose partition has the highest mean NMI to the others'
     * gives the window's labels and the served model; the first draw is the model a single draw trains, to the bit.
     */
    @Test
    void theDrawThatAgreesMostWithTheOthersServes() {
        List<Integer> labels = new ArrayList<>();
        List<double[][]> data = RddcTest.shapes(90, new Random(2), labels);
        MiniRocket.Settings three = ModelSettings.bind(MiniRocket.Settings.DEFAULTS, key -> key.equals("draws") ? 3 : null);
        MiniRocket.Settings one = ModelSettings.bind(MiniRocket.Settings.DEFAULTS, key -> key.equals("draws") ? 1 : null);
        Fit fit = new MiniRocket(three, 3).fit(data, 7, TrainingProgress.NONE);
        List<int[]> draws = fit.candidates().stream().map(Fit.Candidate::labels).toList();
        assertEquals(3, draws.size());
        int medoid = Ensemble.medoid(draws);
        assertArrayEquals(draws.get(medoid), fit.labels());
        assertTrue(fit.candidates().get(medoid).name().endsWith("(served)"), fit.candidates().get(medoid).name());
        assertEquals(1, fit.candidates().stream().filter(c -> c.name().endsWith("(served)")).count());
        Fit single = new MiniRocket(one, 3).fit(data, 7, TrainingProgress.NONE);
        assertArrayEquals(single.labels(), draws.get(0));
        assertEquals(List.of(), single.candidates());
    }

    /**
     * The service's demo: four shapes of one level and energy, each one period over 30 to 120 steps. Resampled to
     * the window's median length (the default) the kernels see shapes, not time scales, and separate all four;
     * each at its own length, the sine and the square merged (measured, ACC 0.75–0.79).
     */
    @Test
    void separatesShapesWhateverTheirTimeScale() {
        DemoStream demo = new DemoStream(42, 2, 4, 30, 120, 0.2);
        List<double[][]> window = new ArrayList<>();
        int[] truth = new int[400];
        for (int i = 0; i < truth.length; i++) {
            DemoStream.Sample sample = demo.next();
            truth[i] = sample.label();
            window.add(sample.values());
        }
        ClusteringAlgorithm model = new MiniRocket(MiniRocket.Settings.DEFAULTS, 4);
        Fit fit = model.fit(window, 1, TrainingProgress.NONE);
        assertTrue(ClusteringScores.of(truth, fit.labels()).acc() >= 0.95, ClusteringScores.of(truth, fit.labels()).toString());
        assertEquals(window.stream().mapToInt(x -> x.length).sorted().toArray()[200], MiniRocket.medianLength(window));
        double[][] stretched = Interpolation.resample(window.get(0), 2 * window.get(0).length);
        assertEquals(fit.labels()[0], Activations.argmax(fit.assigner().probabilities(stretched)), "a sequence twice as slow");
    }

    /**
     * A channel's level joins the features in proportion to the share of its variance between sequences: none for
     * a channel every sequence centres alike, half the features per channel times the weight for one whose
     * sequences are each constant (all its variance between them), none for one channel.
     */
    @Test
    void channelLevelsWeighByTheirShareOfTheVariance() {
        Random random = new Random(3);
        List<double[][]> window = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double level = i % 2 == 0 ? -1 : 1;
            double[][] x = new double[20][2];
            for (int t = 0; t < 20; t++) {
                x[t][0] = level;
                x[t][1] = (t % 2 == 0 ? -1 : 1) + 0.01 * random.nextGaussian();
            }
            window.add(x);
        }
        int[] repeats = MiniRocket.levelRepeats(window, 1000, 0.5);
        assertEquals(250, repeats[0], "all of channel 0's variance is between sequences: 0.5 × 1000 / 2");
        assertTrue(repeats[1] <= 1, "channel 1 centres alike in every sequence: " + repeats[1]);
        assertArrayEquals(new int[] {0}, MiniRocket.levelRepeats(List.of(column(1, 2), column(5, 6)), 1000, 0.5));
        double[] f = MiniRocket.withLevels(new double[] {0.25}, window.get(1), new int[] {2, 1});
        assertArrayEquals(new double[] {0.25, 1, 1, java.util.Arrays.stream(window.get(1)).mapToDouble(r -> r[1]).average().orElseThrow()}, f, 1e-12);
    }
}
