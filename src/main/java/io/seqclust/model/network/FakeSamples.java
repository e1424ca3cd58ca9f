package io.seqclust.model.network;

import java.util.Arrays;
import java.util.Random;

/**
 * DTCR's fake samples: a copy of a sequence whose values at ⌊0.2 T⌋ random time steps (at least two) are
 * shuffled among those steps, so that a fake always differs from its sequence where it can: a sequence of
 * one step, or of one value throughout, has no fake but itself.
 */
public final class FakeSamples {

    /** The share of time steps whose values are shuffled. */
    public static final double SHARE = 0.2;
    /** Draws of steps before giving up on a sequence whose chosen steps keep holding equal values. */
    private static final int ATTEMPTS = 10;

    private FakeSamples() {
    }

    public static double[][] of(double[][] x, Random random) {
        int steps = x.length;
        double[][] fake = new double[steps][];
        for (int t = 0; t < steps; t++) {
            fake[t] = x[t].clone();
        }
        if (steps < 2) {
            return fake;
        }
        int count = Math.max(2, (int) Math.floor(SHARE * steps));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int[] chosen = choose(steps, count, random);
            int[] target = derange(chosen, random);
            for (int i = 0; i < count; i++) {
                fake[chosen[i]] = x[target[i]].clone();
            }
            if (!Arrays.deepEquals(fake, x)) {
                return fake;
            }
        }
        return fake;
    }

    /** {@code count} distinct steps, drawn uniformly. */
    private static int[] choose(int steps, int count, Random random) {
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
        return Arrays.copyOf(all, count);
    }

    /** The chosen steps shuffled among themselves, retrying a shuffle that leaves every one in place. */
    private static int[] derange(int[] chosen, Random random) {
        int[] target = chosen.clone();
        do {
            for (int i = target.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = target[i];
                target[i] = target[j];
                target[j] = swap;
            }
        } while (Arrays.equals(chosen, target));
        return target;
    }
}
