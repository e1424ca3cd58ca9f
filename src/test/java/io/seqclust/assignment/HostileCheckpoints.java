package io.seqclust.assignment;

import io.seqclust.checkpoint.Checkpoint;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.clustering.Assigner;
import io.seqclust.clustering.KMeansAvg;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broken and hostile checkpoints for a service that serves a kmeans-avg model of k = 4, D = 2 at some
 * version, each with the reason it must be refused for: what an attacker with write access to the models
 * topic, or a faulty trainer, could put there.
 */
public final class HostileCheckpoints {

    public record Hostile(byte[] bytes, CheckpointPolicy.Reason reason) {
    }

    private HostileCheckpoints() {
    }

    /**
     * @param served the version served now
     * @param d2     a kmeans-avg assigner of k = 4, D = 2
     * @param d5     one of k = 4, D = 5
     */
    public static Map<String, Hostile> against(long served, Assigner d2, Assigner d5) {
        long next = served + 1;
        byte[] good = checkpoint(next, 2, d2.payload()).toBytes();
        byte[] flipped = good.clone();
        flipped[flipped.length - 20] ^= 0x10;
        Map<String, Hostile> out = new LinkedHashMap<>();
        out.put("truncated", new Hostile(Arrays.copyOf(good, good.length - 10), CheckpointPolicy.Reason.UNREADABLE));
        out.put("header bomb", new Hostile(headerBomb(next), CheckpointPolicy.Reason.UNREADABLE));
        out.put("flipped bit", new Hostile(flipped, CheckpointPolicy.Reason.UNREADABLE));
        out.put("other D", new Hostile(checkpoint(next, 5, d5.payload()).toBytes(), CheckpointPolicy.Reason.DIMS));
        out.put("300000 dims", new Hostile(new Checkpoint(KMeansAvg.ID, next, next, "{}", 4, 300_000, 100,
                new int[] {0, 1, 2, 3}, new byte[8]).toBytes(), CheckpointPolicy.Reason.DIMS));
        out.put("one cluster", new Hostile(new Checkpoint(KMeansAvg.ID, next, next, "{}", 1, 2, 100, new int[] {0},
                d2.payload()).toBytes(), CheckpointPolicy.Reason.CLUSTERS));
        out.put("NaN on real data", new Hostile(checkpoint(next, 2, finiteOnZerosOnly()).toBytes(), CheckpointPolicy.Reason.PROBE));
        out.put("replay", new Hostile(checkpoint(served - 1, 2, d2.payload()).toBytes(), CheckpointPolicy.Reason.REPLAY));
        out.put("same version", new Hostile(checkpoint(served, 2, d2.payload()).toBytes(), CheckpointPolicy.Reason.REPLAY));
        out.put("max version", new Hostile(checkpoint(Long.MAX_VALUE, 2, d2.payload()).toBytes(), CheckpointPolicy.Reason.VERSION));
        return out;
    }

    public static Checkpoint checkpoint(long version, int dims, byte[] payload) {
        return new Checkpoint(KMeansAvg.ID, version, version, "{}", 4, dims, 100, new int[] {0, 1, 2, 3}, payload);
    }

    /** 48 bytes whose header asks for 60,000 permutation entries. */
    private static byte[] headerBomb(long version) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.putInt(0x5351434b).putInt(Checkpoint.FORMAT_VERSION).putLong(version).putLong(version);
        b.putShort((short) 1).put((byte) 'x').putShort((short) 2).put("{}".getBytes());
        b.putInt(60_000).putInt(2).putInt(100);
        return b.array();
    }

    /**
     * A kmeans-avg payload that gives probabilities on the all-zero sequence but NaN on any real one: a
     * feature scale of 1e-300 sends every distance to infinity.
     */
    private static byte[] finiteOnZerosOnly() {
        double[][] centroids = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
        return new PayloadWriter().writeInt(2).writeInt(4).writeDoubles(new double[] {0, 0, 0})
                .writeDoubles(new double[] {1e-300, 1, 1}).writeMatrix(centroids).toBytes();
    }
}
