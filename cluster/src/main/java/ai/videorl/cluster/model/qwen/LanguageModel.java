package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Qwen2.5-VL's language model (Qwen2 with multimodal rotary positions), as transformers 4.57.6's
 * {@code Qwen2_5_VLTextModel} computes it with eager attention in float32.
 *
 * <p>Dimensions: B batch, L new positions, S cached plus new positions, D width, H query heads,
 * K key-value heads (each shared by H / K query heads), e = D / H, V vocabulary. Each layer:
 * x + o(attention(RMSNorm(x))), then x + gated SiLU MLP(RMSNorm(x)); queries, keys and values
 * with biases, rotated by the three-row positions (channel pairs split by {@code mrope_section}
 * among time, height and width); the final RMSNorm, then the head.
 */
final class LanguageModel {

    private final Qwen25VlConfig.Text config;
    private final Qwen25VlWeights weights;
    /** [e]: the rotary frequencies, twice over (transformers' cat(freqs, freqs)). */
    private final float[] frequencies;
    /** Which position row (0 time, 1 height, 2 width) turns each of the e channels. */
    private final int[] channelRows;

    LanguageModel(Qwen25VlConfig.Text config, Qwen25VlWeights weights, NDManager manager) {
        this.config = config;
        this.weights = weights;
        try (NDManager scope = manager.newSubManager()) {
            float[] half = QwenOps.inverseFrequencies(scope, config.headDim(), config.ropeTheta()).toFloatArray();
            this.frequencies = new float[2 * half.length];
            System.arraycopy(half, 0, frequencies, 0, half.length);
            System.arraycopy(half, 0, frequencies, half.length, half.length);
        }
        this.channelRows = new int[config.headDim()];
        int channel = 0;
        for (int repeat = 0; repeat < 2; repeat++) {
            for (int row = 0; row < 3; row++) {
                for (int k = 0; k < config.mropeSection()[row]; k++) {
                    channelRows[channel++] = row;
                }
            }
        }
    }

    /** Token embeddings [B, L, D], in the ids' manager (an op's result belongs to its first operand's: the weights'). */
    NDArray embed(NDArray ids) {
        NDArray embedded = weights.get(Qwen25VlWeights.EMBEDDING).get(ids);
        embedded.attach(ids.getManager());
        return embedded;
    }

    /**
     * The logits [B, L', V] of the new positions {@code rows} selects (all L when null), their keys
     * and values added to the cache. Each layer's intermediate arrays are freed when the layer
     * ends (autograd holds its own references to what backward needs), and {@code embeddings}
     * with them; the head reads only the rows asked for, the final RMSNorm being per row.
     *
     * @param positions [3][B][L] rotary positions of the new tokens
     * @param keyMask additive [B, 1, L, S]
     * @param rows the positions whose logits are wanted, e.g. {@code ":, -1:"}; null for all
     */
    NDArray forward(NDArray embeddings, long[][][] positions, NDArray keyMask, Cache cache, NDManager scope, NDIndex rows) {
        Rotary rotary = rotary(positions, scope);
        NDArray x = embeddings;
        for (int layer = 0; layer < config.layers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            try (NDManager layerScope = scope.newSubManager()) {
                // The layer's input, and so everything computed from it, lives in the layer's manager;
                // only its output outlives it.
                x.attach(layerScope);
                NDArray normed = QwenOps.rmsNorm(x, weights.get(prefix + "input_layernorm.weight"), config.rmsNormEpsilon());
                x = x.add(attention(normed, prefix, rotary, keyMask, cache, layer));
                normed = QwenOps.rmsNorm(x, weights.get(prefix + "post_attention_layernorm.weight"), config.rmsNormEpsilon());
                x = x.add(QwenOps.gatedMlp(normed, weights, prefix + "mlp."));
                x.attach(scope);
            }
        }
        if (rows != null) {
            x = x.get(rows);
        }
        x = QwenOps.rmsNorm(x, weights.get("model.norm.weight"), config.rmsNormEpsilon());
        return QwenOps.linear(x, weights.head(), null);
    }

    private NDArray attention(NDArray x, String prefix, Rotary rotary, NDArray keyMask, Cache cache, int layer) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        int headDim = config.headDim();
        NDArray queries = project(x, prefix + "self_attn.q_proj", batch, length);
        NDArray keys = project(x, prefix + "self_attn.k_proj", batch, length);
        NDArray values = project(x, prefix + "self_attn.v_proj", batch, length);
        queries = QwenOps.rotate(queries, rotary.cos(), rotary.sin());
        keys = QwenOps.rotate(keys, rotary.cos(), rotary.sin());
        NDArray[] cached = cache.extend(layer, keys, values);
        int groups = config.heads() / config.keyValueHeads();
        NDArray allKeys = groups == 1 ? cached[0] : inLayer(cached[0].repeat(1, groups), x);
        NDArray allValues = groups == 1 ? cached[1] : inLayer(cached[1].repeat(1, groups), x);
        NDArray output = QwenOps.attention(queries, allKeys, allValues, keyMask, (float) Math.pow(headDim, -0.5));
        output = output.transpose(0, 2, 1, 3).reshape(batch, length, config.hiddenSize());
        return weights.project(output, prefix + "self_attn.o_proj");
    }

    /**
     * {@code derived} moved to {@code x}'s manager, the layer's: an op on a cached key or value
     * belongs to the cache's manager, which lives as long as the generation.
     */
    private static NDArray inLayer(NDArray derived, NDArray x) {
        derived.attach(x.getManager());
        return derived;
    }

    /** [B, heads, L, e] of a projection with bias. */
    private NDArray project(NDArray x, String name, long batch, long length) {
        return weights.project(x, name)
                .reshape(batch, length, -1, config.headDim()).transpose(0, 2, 1, 3);
    }

    /** cos and sin [B, 1, L, e] of the positions' angles. */
    private record Rotary(NDArray cos, NDArray sin) {
    }

    /**
     * Channel c of position (b, l) turns by position[row(c)][b][l] · frequency[c], one float32
     * product as transformers' (inv_freq ⊗ position) and section split give it.
     */
    private Rotary rotary(long[][][] positions, NDManager scope) {
        int batch = positions[0].length;
        int length = positions[0][0].length;
        int width = frequencies.length;
        float[] angles = new float[batch * length * width];
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                int base = (b * length + l) * width;
                for (int c = 0; c < width; c++) {
                    angles[base + c] = (float) positions[channelRows[c]][b][l] * frequencies[c];
                }
            }
        }
        NDArray array = scope.create(angles, new Shape(batch, 1, length, width));
        return new Rotary(array.cos(), array.sin());
    }

    /**
     * Keys and values [B, K, S, e] per layer, grown by concatenation. A decoding cache keeps them
     * in its own manager, so each step's other arrays can be freed when the step ends; a single
     * pass (teacher forcing) keeps the tensors it is given, on the autograd tape.
     */
    static final class Cache {
        private final NDArray[] keys;
        private final NDArray[] values;
        private final NDManager home;

        /** For one pass over the whole sequence. */
        Cache(int layers) {
            this(layers, null);
        }

        /** For decoding: the keys and values live in {@code home} from step to step. */
        Cache(int layers, NDManager home) {
            this.keys = new NDArray[layers];
            this.values = new NDArray[layers];
            this.home = home;
        }

        NDArray[] extend(int layer, NDArray newKeys, NDArray newValues) {
            if (home == null && keys[layer] != null) {
                throw new IllegalStateException("a single-pass cache cannot be extended");
            }
            keys[layer] = grown(keys[layer], newKeys);
            values[layer] = grown(values[layer], newValues);
            return new NDArray[] {keys[layer], values[layer]};
        }

        private NDArray grown(NDArray old, NDArray added) {
            if (home == null) {
                return added;
            }
            NDArray whole = old == null ? added.duplicate() : old.concat(added, 2);
            whole.attach(home);
            if (old != null) {
                old.close();
            }
            return whole;
        }
    }
}
