package io.seqclust.model.engine;

import io.seqclust.model.serving.FloatOps;

/** Where a network's training passes run. Serving one sequence at a time always uses the serving encoder. */
public enum EngineKind {
    /**
     * ND4J when its CUDA backend is on the class path (the gpu build); else packed when the Vector API is there
     * (the JVM started with {@code --add-modules jdk.incubator.vector}), Java otherwise.
     */
    AUTO,
    /** Float32, the batch packed by time step, matrix products by the Vector API: the fastest on the CPU (README's benchmark). */
    PACKED,
    /** Double precision, one sequence at a time over the CPU cores: the reference the gradient checks run on. */
    JAVA,
    /** ND4J on whichever backend is on the class path. */
    ND4J;

    public EngineKind resolve() {
        if (this != AUTO) {
            return this;
        }
        if (cudaPresent()) {
            return ND4J;
        }
        return FloatOps.vectorised() ? PACKED : JAVA;
    }

    /**
     * Frees what a training run left in ND4J for the calling thread (its workspaces are kept between steps,
     * and would be kept between runs): call it on the thread that trained, when the run ends. Loads no ND4J
     * code if no ND4J engine was built.
     */
    public static void releaseThreadMemory() {
        Nd4jEncoderEngine.releaseWorkspaces();
    }

    /** Whether ND4J's CUDA backend is on the class path, checked without loading any native code. */
    static boolean cudaPresent() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, EngineKind.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
