package io.seqclust.model.network;

import java.util.Random;

/** DTCR's fake samples: a copy of a sequence whose values at ⌊0.2 T⌋ random time steps are shuffled among those steps. */
public final class FakeSamples {

    /** The share of time steps whose values are shuffled. */
    public static final double SHARE = 0.2;

    private FakeSamples() {
    }

    public static double[][] of(double[][] x, Random random) {
        int steps = x.length;
        double[][] fake = new double[steps][];
        for (int t = 0; t < steps; t++) {
            fake[t] = x[t].clone();
        }
        int count = (int) Math.floor(SHARE * steps);
        if (count < 2) {
            return fake;
        }
        int[] all = new int[steps];
        for (int t = 0; t < steps; t++) {
            all[t] = t;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(steps - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        // shuffle the chosen steps' values among them, retrying a shuffle that leaves every one in place
        int[] chosen = java.util.Arrays.copyOf(all, count);
        int[] target = chosen.clone();
        do {
            for (int i = count - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = target[i];
                target[i] = target[j];
                target[j] = swap;
            }
        } while (java.util.Arrays.equals(chosen, target));
        for (int i = 0; i < count; i++) {
            fake[chosen[i]] = x[target[i]].clone();
        }
        return fake;
    }
}
