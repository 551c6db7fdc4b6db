package ai.videorl.common.grounding;

import java.util.List;
import java.util.Locale;

/**
 * A lexical stand-in for a sentence-embedding model: hashed bag-of-words (lower-cased letter and
 * digit runs) into a fixed number of dimensions, L2-normalised. Two sentences are similar when
 * they share words; paraphrases with other words are not. For runs without an embedding model,
 * and as a fast baseline; the default is all-MiniLM-L6-v2.
 */
public final class LexicalEmbedder implements Embedder {

    private final int dimensions;

    public LexicalEmbedder(int dimensions) {
        if (dimensions < 8) {
            throw new IllegalArgumentException("at least 8 dimensions, got " + dimensions);
        }
        this.dimensions = dimensions;
    }

    @Override
    public float[][] embed(List<String> sentences) {
        float[][] vectors = new float[sentences.size()][];
        for (int s = 0; s < vectors.length; s++) {
            vectors[s] = embed(sentences.get(s));
        }
        return vectors;
    }

    private float[] embed(String sentence) {
        float[] vector = new float[dimensions];
        String lower = sentence.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length()) {
            if (!Character.isLetterOrDigit(lower.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < lower.length() && Character.isLetterOrDigit(lower.charAt(i))) {
                i++;
            }
            vector[Math.floorMod(lower.substring(start, i).hashCode(), dimensions)] += 1;
        }
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dimensions; d++) {
                vector[d] *= scale;
            }
        }
        return vector;
    }
}
