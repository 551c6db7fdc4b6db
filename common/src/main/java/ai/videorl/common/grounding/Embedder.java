package ai.videorl.common.grounding;

import java.util.List;

/**
 * Turns sentences into vectors whose cosine similarity says how alike they mean. Batched: one
 * call per group of claims. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Embedder {

    /** One L2-normalised vector per sentence, all of the same length. */
    float[][] embed(List<String> sentences);

    /** Cosine similarity of two L2-normalised vectors. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }
}
