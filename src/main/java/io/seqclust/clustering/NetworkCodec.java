package io.seqclust.clustering;

import io.seqclust.checkpoint.PayloadReader;
import io.seqclust.checkpoint.PayloadWriter;
import io.seqclust.model.layer.BatchNorm;
import io.seqclust.model.layer.BiGruEncoder;
import io.seqclust.model.layer.Dense;
import io.seqclust.model.layer.Gru;

/** The serving payload of the networks' parts: recurrent encoders, fully connected and batch-norm layers. */
final class NetworkCodec {

    private static final int MAX_LAYERS = 64;
    private static final int MAX_UNITS = 1 << 14;
    private static final int MAX_DILATION = 1 << 16;

    private NetworkCodec() {
    }

    static void writeEncoder(PayloadWriter out, BiGruEncoder.Weights e) {
        out.writeInt(e.layers()).writeBoolean(e.allLayers()).writeInt(e.in());
        for (int l = 0; l < e.layers(); l++) {
            out.writeInt(e.forward()[l].hidden()).writeInt(e.forward()[l].dilation());
            for (Gru.Weights w : new Gru.Weights[] {e.forward()[l], e.backward()[l]}) {
                out.writeDoubles(w.wx()).writeDoubles(w.wh()).writeDoubles(w.bx()).writeDoubles(w.bh());
            }
        }
    }

    static BiGruEncoder.Weights readEncoder(PayloadReader in) {
        int layers = in.readInt("encoder layers", 1, MAX_LAYERS);
        boolean allLayers = in.readBoolean();
        int layerIn = in.readInt("encoder input size", 1, Normalizer.MAX_DIMS);
        Gru.Weights[] forward = new Gru.Weights[layers];
        Gru.Weights[] backward = new Gru.Weights[layers];
        for (int l = 0; l < layers; l++) {
            int units = in.readInt("units of encoder layer " + l, 1, MAX_UNITS);
            int dilation = in.readInt("dilation of encoder layer " + l, 1, MAX_DILATION);
            forward[l] = readGru(in, layerIn, units, false, dilation, "encoder layer " + l + " forward");
            backward[l] = readGru(in, layerIn, units, true, dilation, "encoder layer " + l + " backward");
            layerIn = 2 * units;
        }
        return new BiGruEncoder.Weights(forward, backward, allLayers);
    }

    private static Gru.Weights readGru(PayloadReader in, int inputs, int units, boolean reverse, int dilation, String what) {
        double[] wx = in.readDoubles(what + " input weights", 3 * units * inputs);
        double[] wh = in.readDoubles(what + " recurrent weights", 3 * units * units);
        double[] bx = in.readDoubles(what + " input biases", 3 * units);
        double[] bh = in.readDoubles(what + " recurrent biases", 3 * units);
        return Gru.Weights.of(inputs, units, reverse, dilation, wx, wh, bx, bh);
    }

    static void writeDense(PayloadWriter out, Dense.Weights d) {
        out.writeInt(d.in()).writeInt(d.out()).writeDoubles(d.w()).writeDoubles(d.b());
    }

    /** A layer that must read {@code inputs} values. */
    static Dense.Weights readDense(PayloadReader in, int inputs, String what) {
        int n = in.readInt(what + " inputs", inputs, inputs);
        int out = in.readInt(what + " outputs", 1, MAX_UNITS);
        return new Dense.Weights(n, out, in.readDoubles(what + " weights", n * out), in.readDoubles(what + " biases", out));
    }

    static void writeBatchNorm(PayloadWriter out, BatchNorm.Inference b) {
        out.writeDoubles(b.gamma()).writeDoubles(b.beta()).writeDoubles(b.mean()).writeDoubles(b.var());
    }

    static BatchNorm.Inference readBatchNorm(PayloadReader in, int size) {
        return new BatchNorm.Inference(in.readDoubles("batch-norm scale", size), in.readDoubles("batch-norm shift", size),
                in.readDoubles("batch-norm mean", size), in.readDoubles("batch-norm variance", size));
    }
}
