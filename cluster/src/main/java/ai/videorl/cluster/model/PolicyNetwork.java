package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The policy's forward pass, over a sequence [frame tokens, text tokens].
 *
 * <p>Dimensions: B batch, F frames, H = W frame size, T text positions, S = F·(G² + K) + T, G the frame grid,
 * K the characters of a frame's time, D width, N heads, E = D / N, V vocabulary.
 * <ul>
 *   <li>Frames [B, F, 3, H, W]: each frame is stacked with its neighbours (9 channels, so motion
 *       is visible), cut into 4x4 patches (every {@code patchStride} pixels) by a convolution, refined
 *       by a residual 3x3 convolution and max-pooled into one token [B, F, D] (or, with
 *       {@code model.frame_grid} G > 1, one per cell of a G x G grid, [B, F·G², D], plus the cell's
 *       position), plus a frame-position embedding; then, with {@code model.frame_times} K > 0, the
 *       frame's time as K text tokens. With a frame-tag head, a linear layer reads the tags off the
 *       frame's pooled features (before the position is added).</li>
 *   <li>Text ids [B, T]: embedded with the token embedding (tied with the output layer), plus the
 *       previous token's embedding from a table of its own, plus a segment embedding: prompt (up
 *       to its BEGIN) or response.</li>
 *   <li>A pre-norm causal transformer over [frames, text] with learned positions and rotary
 *       queries and keys; PAD keys are masked out, and each head adds a learned bias to its
 *       attention logits on the frame block's keys (a frame's time tokens included).</li>
 * </ul>
 * Intermediate arrays live in the caller's manager; parameters are only read.
 */
final class PolicyNetwork {

    private static final float NORM_EPSILON = 1e-5f;
    private static final float MASKED = -1e9f;

    private final PolicyConfig config;
    private final PolicyParameters parameters;

    PolicyNetwork(PolicyConfig config, PolicyParameters parameters) {
        this.config = Objects.requireNonNull(config, "config");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * Frame tokens [B, F·(G² + K), D] of frames [B, F, 3, H, W]: frame by frame, each cell of its
     * G x G grid plus the frame's position and (G > 1) the cell's, then (K = {@code model.frame_times}
     * > 0) the K characters of the frame's time, embedded as prompt text is.
     *
     * @param times [B, F, K] token ids of each frame's time ({@link FrameTimes}), or null without
     */
    NDArray encodeFrames(NDArray frames, NDArray times) {
        if ((times == null) != (config.frameTimes() == 0)) {
            throw new IllegalArgumentException("model.frame_times is " + config.frameTimes() + ", but the frames came "
                    + (times == null ? "without" : "with") + " times");
        }
        NDArray cells = cellFeatures(frames);
        Shape shape = cells.getShape();
        NDArray position = parameters.get("frames.position").get(":" + shape.get(1)).expandDims(1);
        NDArray tokens = cells.add(position);
        if (config.frameGrid() > 1) {
            tokens = tokens.add(parameters.get("frames.cell"));
        }
        if (times != null) {
            tokens = tokens.concat(timeText(times).add(position), 2);
        }
        return tokens.reshape(shape.get(0), -1, config.width());
    }

    /**
     * [B, F, K, D]: a frame's time characters embedded like prompt text (token, previous token,
     * prompt segment), so that an answer copies a time the way it copies the question's words. The
     * first character's previous token is PAD, as for the first text position.
     */
    private NDArray timeText(NDArray times) {
        NDArray previous = times.get("..., :1").zerosLike().add(VocabularyTokenizer.PAD).concat(times.get("..., :-1"), -1);
        return embed(times, "tokens.embedding").add(embed(previous, "tokens.previous")).add(parameters.get("segments.prompt"));
    }

    /** Ids [..] embedded by the table {@code table} [V, D]: [.., D]. */
    private NDArray embed(NDArray ids, String table) {
        return ids.oneHot(config.vocabularySize()).toType(DataType.FLOAT32, false).matMul(parameters.get(table));
    }

    /** Tag logits [B, F, T] of frame features [B, F, D] ({@link #frameFeatures}). */
    NDArray frameTagLogits(NDArray features) {
        return features.matMul(parameters.get(PolicyParameters.FRAME_TAGS_WEIGHT)).add(parameters.get(PolicyParameters.FRAME_TAGS_BIAS));
    }

    /** What each frame shows, [B, F, D]: the patch features pooled over the whole frame, without its position. */
    NDArray frameFeatures(NDArray frames) {
        return cellFeatures(frames).max(new int[] {2});
    }

    /**
     * What each cell of each frame's grid shows, [B, F, G², D]: the patch features max-pooled over
     * the cell, cells row by row. Cells split the patch grid as evenly as it allows and overlap by
     * a patch where it does not divide (15 patches across: 0-7 and 7-14).
     */
    private NDArray cellFeatures(NDArray frames) {
        Shape shape = frames.getShape();
        long batch = shape.get(0);
        int count = Math.toIntExact(shape.get(1));
        long size = shape.get(3);
        NDArray previous = frames.get(":, :1").concat(frames.get(":, :-1"), 1);
        NDArray next = frames.get(":, 1:").concat(frames.get(":, -1:"), 1);
        NDArray stacked = previous.concat(frames, 2).concat(next, 2).reshape(batch * count, 9, size, size);
        NDArray patches = Activation.relu(Conv2d.conv2d(stacked, parameters.get("frames.conv1.weight"),
                parameters.get("frames.conv1.bias"), new Shape(config.patchStride(), config.patchStride()), new Shape(0, 0)).head());
        NDArray refined = Activation.relu(Conv2d.conv2d(patches, parameters.get("frames.conv2.weight"),
                parameters.get("frames.conv2.bias"), new Shape(1, 1), new Shape(1, 1)).head());
        NDArray features = patches.add(refined);
        int grid = config.frameGrid();
        if (grid == 1) {
            return features.max(new int[] {3}).max(new int[] {2}).reshape(batch, count, 1, config.width());
        }
        long across = features.getShape().get(2);
        NDArray[] cells = new NDArray[grid * grid];
        for (int row = 0; row < grid; row++) {
            for (int column = 0; column < grid; column++) {
                cells[row * grid + column] = features.get(":, :, " + cellRange(row, grid, across) + ", " + cellRange(column, grid, across))
                        .max(new int[] {3}).max(new int[] {2});
            }
        }
        return NDArrays.stack(new NDList(cells), 1).reshape(batch, count, grid * grid, config.width());
    }

    /** Patches [from:to] of cell {@code index} of {@code grid} over {@code across} patches. */
    private static String cellRange(int index, int grid, long across) {
        return Math.floorDiv(index * across, grid) + ":" + Math.floorDiv((index + 1) * across + grid - 1, grid);
    }

    /**
     * Logits [B, T_new, V] of the next token at each new position.
     *
     * @param frameTokens [B, F·(G² + K), D] when the cache is empty (the prefill), else null
     * @param text new text ids [B, T_new] (int64)
     * @param keyMask [B, S_total] with 1 for real tokens and 0 for padding, over every position so far
     * @param cache keys and values of earlier positions; extended here
     */
    NDArray forward(NDArray frameTokens, NDArray text, NDArray keyMask, KvCache cache) {
        NDManager manager = text.getManager();
        // The previous token's own embedding lets one attention layer find "where the same token
        // came before" and copy what followed it (an induction lookup, as a conclusion quoting its
        // caption does): PolicyReadingTest learnt it in 2,000 steps with it and not without.
        NDArray embedded = embed(text, "tokens.embedding").add(segments(text, cache.length() > 0))
                .add(embed(cache.previousTokens(text), "tokens.previous"));
        NDArray x = frameTokens == null ? embedded : frameTokens.concat(embedded, 1);
        int start = cache.length();
        int positions = Math.toIntExact(x.getShape().get(1));
        int end = start + positions;
        if (end > config.maxLength()) {
            throw new IllegalArgumentException("sequence of " + end + " positions exceeds model.max_length " + config.maxLength());
        }
        x = x.add(parameters.get("positions").get(start + ":" + end));
        // Query i (absolute start + i) may attend key j when j <= start + i and key j is not padding.
        // (mask − 1) · 1e9: 0 on real keys, −1e9 on padding, broadcast over heads and queries.
        NDArray padding = keyMask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED).expandDims(1).expandDims(1);
        NDArray mask = causalMask(manager, start, positions).add(padding);
        if (frameTokens != null) {
            cache.setVisualKeys(Math.toIntExact(frameTokens.getShape().get(1)));
        }
        NDArray visual = visualKeys(manager, cache.visualKeys(), end);
        Rotation rotation = Rotation.of(manager, config.headWidth(), start, end);
        for (int layer = 0; layer < config.layers(); layer++) {
            x = block(layer, x, mask, visual, rotation, cache);
        }
        cache.advance(positions);
        NDArray normed = norm(x, "final.norm");
        NDArray logits = normed.matMul(parameters.get("tokens.embedding").transpose());
        return frameTokens == null ? logits : logits.get(":, " + frameTokens.getShape().get(1) + ":");
    }

    /**
     * [B, T_new, D]: each text token's segment embedding, {@code segments.prompt} up to and
     * including the prompt's BEGIN, {@code segments.response} after it. A conclusion that looks up
     * a word of the question needs to tell the question's words from the same words in its own
     * caption; learned positions alone left a tiny policy answering about words of its caption.
     * Every position of a decoding step after the prefill is response; a prefill finds each row's
     * BEGIN (stage two of the early exit prefills a prompt followed by stage one's tokens).
     */
    private NDArray segments(NDArray text, boolean decoding) {
        NDArray prompt = parameters.get("segments.prompt");
        NDArray response = parameters.get("segments.response");
        if (decoding) {
            return response;
        }
        NDArray begins = text.eq(VocabularyTokenizer.BEGIN).toType(DataType.FLOAT32, false);
        // 1 after the row's BEGIN, 0 up to and including it: [B, T, 1].
        NDArray after = begins.cumSum(1).sub(begins).gt(0).toType(DataType.FLOAT32, false).expandDims(2);
        return prompt.add(after.mul(response.sub(prompt)));
    }

    private NDArray block(int layer, NDArray x, NDArray mask, NDArray visual, Rotation rotation, KvCache cache) {
        String prefix = "layer" + layer + ".";
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long positions = shape.get(1);
        int heads = config.heads();
        int headWidth = config.headWidth();
        NDArray qkv = norm(x, prefix + "norm1").matMul(parameters.get(prefix + "qkv.weight")).add(parameters.get(prefix + "qkv.bias"))
                .reshape(batch, positions, 3, heads, headWidth).transpose(2, 0, 3, 1, 4);
        NDArray queries = rotation.apply(qkv.get(0));
        NDArray[] keysValues = cache.extend(layer, rotation.apply(qkv.get(1)), qkv.get(2));
        // Each head's learned bias towards the frame tokens (see PolicyParameters).
        NDArray bias = parameters.get("frames.attention_bias").get(layer).reshape(1, heads, 1, 1).mul(visual);
        NDArray products = queries.matMul(keysValues[0].transpose(0, 1, 3, 2));
        NDArray scores = products.div(TapeScalar.of(products, (float) Math.sqrt(headWidth))).add(mask).add(bias);
        NDArray attended = scores.softmax(-1).matMul(keysValues[1]).transpose(0, 2, 1, 3).reshape(batch, positions, config.width());
        x = x.add(attended.matMul(parameters.get(prefix + "out.weight")).add(parameters.get(prefix + "out.bias")));
        NDArray hidden = Activation.gelu(norm(x, prefix + "norm2").matMul(parameters.get(prefix + "mlp1.weight"))
                .add(parameters.get(prefix + "mlp1.bias")));
        return x.add(hidden.matMul(parameters.get(prefix + "mlp2.weight")).add(parameters.get(prefix + "mlp2.bias")));
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.width()), parameters.get(name + ".gain"), parameters.get(name + ".bias"),
                NORM_EPSILON).head();
    }

    /**
     * Rotary position embedding (RoFormer; what Qwen2.5-VL and most current LLMs use) of queries
     * and keys [B, N, T_new, E] at absolute positions start..end-1: each pair (i, i + E/2) of a
     * head's dimensions turns by position · 10000^(−2i/E), so a query-key product depends on how
     * far apart the two tokens are. Attending to "the token before" or "what followed the same
     * words earlier" (the copy a conclusion quoting the caption makes) is then one pattern at
     * every position, where learned absolute positions had to learn it for each position anew.
     * Keys enter the cache rotated, so decoding rotates only the new positions.
     */
    private record Rotation(NDArray cos, NDArray sin, int half) {

        private static final double BASE = 10000;

        static Rotation of(NDManager manager, int headWidth, int start, int end) {
            int half = headWidth / 2;
            int positions = end - start;
            float[] cos = new float[positions * half];
            float[] sin = new float[positions * half];
            for (int t = 0; t < positions; t++) {
                for (int i = 0; i < half; i++) {
                    double angle = (start + t) * Math.pow(BASE, -2.0 * i / headWidth);
                    cos[t * half + i] = (float) Math.cos(angle);
                    sin[t * half + i] = (float) Math.sin(angle);
                }
            }
            return new Rotation(manager.create(cos, new Shape(positions, half)), manager.create(sin, new Shape(positions, half)), half);
        }

        NDArray apply(NDArray x) {
            NDArray first = x.get("..., :" + half);
            NDArray second = x.get("..., " + half + ":");
            return first.mul(cos).sub(second.mul(sin)).concat(first.mul(sin).add(second.mul(cos)), -1);
        }
    }

    /** [1, 1, 1, S_total]: 1 on the frame tokens' keys, 0 on text. */
    private static NDArray visualKeys(NDManager manager, int frames, int keys) {
        float[] visual = new float[keys];
        Arrays.fill(visual, 0, Math.min(frames, keys), 1f);
        return manager.create(visual, new Shape(1, 1, 1, keys));
    }

    /** [T_new, S_total]: 0 where key j <= query start + i, a large negative number after. */
    private static NDArray causalMask(NDManager manager, int start, int positions) {
        int keys = start + positions;
        float[] mask = new float[positions * keys];
        for (int i = 0; i < positions; i++) {
            for (int j = start + i + 1; j < keys; j++) {
                mask[i * keys + j] = MASKED;
            }
        }
        return manager.create(mask, new Shape(positions, keys));
    }
}
