package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.NoGradient;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.TokenSampler;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Qwen2.5-VL from a Hugging Face checkpoint directory, in float32 on DJL/libtorch: the vision
 * tower's tokens take the places of the {@code <|video_pad|>} tokens in the language model's
 * input, which reads them with three-row rotary positions ({@link MropePositions}). Exact to
 * transformers 4.57.6 with eager attention (the parity tests state the tolerances).
 *
 * <p>Every method's arrays live in the {@code scope} manager the caller passes and closes; the
 * weights live in the model's own manager until {@link #close}.
 */
public final class Qwen25VlModel implements AutoCloseable {

    private final Qwen25VlConfig config;
    private final NDManager manager;
    private final Qwen25VlWeights weights;
    private final VisionTower vision;
    private final LanguageModel language;

    private Qwen25VlModel(Qwen25VlConfig config, NDManager manager, Qwen25VlWeights weights) {
        this.config = config;
        this.manager = manager;
        this.weights = weights;
        this.vision = new VisionTower(config.vision(), weights);
        this.language = new LanguageModel(config.text(), weights, manager);
    }

    /** Reads {@code config.json} and the safetensors weights of {@code directory} onto {@code device}, in float32. */
    public static Qwen25VlModel load(Path directory, Device device) {
        return load(directory, device, ModelDtype.FLOAT32);
    }

    /** The same, computing in {@code dtype}: a pair the device cannot compute in fails before anything loads. */
    public static Qwen25VlModel load(Path directory, Device device, ModelDtype dtype) {
        dtype.requireSupportedOn(device);
        Qwen25VlConfig config = Qwen25VlConfig.read(directory.resolve("config.json"));
        NDManager manager = NDManager.newBaseManager(device);
        try (Safetensors checkpoint = Safetensors.open(directory)) {
            return new Qwen25VlModel(config, manager, Qwen25VlWeights.read(checkpoint, directory, config, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Qwen25VlConfig config() {
        return config;
    }

    /** The manager the weights live in: a call's arrays go in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    public Qwen25VlWeights weights() {
        return weights;
    }

    /**
     * Token ids with their videos. A video several rows show (a group's rollouts) is given once
     * and goes through the vision tower once.
     *
     * @param ids [B][L], rows left-padded to one length
     * @param attentionMask [B][L], 1 for tokens and 0 for padding; null when no row is padded
     * @param patches [N, C·T·P·P] the distinct videos' patches, one video after another; null without videos
     * @param videos each distinct video's grid, in {@code patches}' order
     * @param shown for each video the rows show, in token order (row after row), its index in {@code videos}
     */
    public record Prompts(int[][] ids, int[][] attentionMask, NDArray patches, List<VideoGrid> videos, int[] shown) {
        public Prompts {
            Objects.requireNonNull(ids, "ids");
            videos = List.copyOf(videos);
            if ((patches == null) != videos.isEmpty()) {
                throw new IllegalArgumentException("patches and video grids go together");
            }
            for (int video : shown) {
                if (video < 0 || video >= videos.size()) {
                    throw new IllegalArgumentException("shown video " + video + " of " + videos.size());
                }
            }
        }

        /** Every video shown once, in token order ({@code pixel_values_videos} as the processor gives it). */
        public Prompts(int[][] ids, int[][] attentionMask, NDArray patches, List<VideoGrid> videos) {
            this(ids, attentionMask, patches, videos, IntStream.range(0, videos.size()).toArray());
        }

        /** The grid of each video shown, in token order. */
        List<VideoGrid> shownGrids() {
            return Arrays.stream(shown).mapToObj(videos::get).toList();
        }

        int batch() {
            return ids.length;
        }

        int length() {
            return ids[0].length;
        }

        /** [B][L + extra]: the attention mask (1 where none is given), then {@code extra} positions of 1. */
        int[][] keyMask(int extra) {
            int[][] mask = new int[batch()][length() + extra];
            for (int b = 0; b < mask.length; b++) {
                Arrays.fill(mask[b], 1);
                if (attentionMask != null) {
                    System.arraycopy(attentionMask[b], 0, mask[b], 0, length());
                }
            }
            return mask;
        }
    }

    /** The vision tower's tokens [M, D] of the videos' patches, videos one after another. */
    public NDArray videoFeatures(NDArray patches, List<VideoGrid> videos, NDManager scope) {
        return vision.forward(patches, VisionLayout.of(videos, config.vision()), scope);
    }

    /** The logits [B, L, V] of every prompt position. */
    public NDArray logits(Prompts prompts, NDManager scope) {
        return prefill(prompts, prompts.length(), new LanguageModel.Cache(config.text().layers()), null, scope).logits();
    }

    /**
     * Generated responses: each row's tokens up to and including its stop token (or the length
     * limit), and each token's log-probability and the entropy at its position under the
     * distribution it was drawn from ({@link TokenSampler}: softmax of logits / T, 1 for greedy).
     */
    public record Generation(int[][] tokens, float[][] logProbs, float[][] entropies, boolean[] finished) {
    }

    /** Sees each decoding step's logits [B, V] (parity tests compare them with the reference's). */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, NDArray logits);
    }

    /**
     * Decodes with a key-value cache, each row drawing from its own seeded sampler (greedy at
     * temperature 0), until it draws a stop token or {@code decoding.maxNewTokens()} tokens. Each
     * step's arrays are freed when it ends; the cache lives in a manager of its own.
     */
    public Generation generate(Prompts prompts, DecodingConfig decoding, long[] seeds, Set<Integer> stopTokens,
                               StepListener listener, NDManager scope) {
        return generate(prompts, decoding, seeds, stopTokens, StopRule.NONE, listener, scope);
    }

    /** The same, a row also ending where {@code stop} says (after a {@code <think>}, say). */
    public Generation generate(Prompts prompts, DecodingConfig decoding, long[] seeds, Set<Integer> stopTokens, StopRule stop,
                               StepListener listener, NDManager scope) {
        int batch = prompts.batch();
        int length = prompts.length();
        int limit = decoding.maxNewTokens();
        if (seeds.length != batch) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + batch + " prompts");
        }
        TokenSampler[] samplers = new TokenSampler[batch];
        for (int b = 0; b < batch; b++) {
            samplers[b] = new TokenSampler(decoding, seeds[b], TokenSampler.ANY_TOKEN);
        }
        int[][] keyMask = prompts.keyMask(limit);
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<Float>> logProbs = new ArrayList<>();
        List<List<Float>> entropies = new ArrayList<>();
        boolean[] finished = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            tokens.add(new ArrayList<>());
            logProbs.add(new ArrayList<>());
            entropies.add(new ArrayList<>());
        }
        // No autograd graph: with trainable weights it would chain every step's cache to the last.
        try (NoGradient noGradient = NoGradient.enter(); NDManager cacheHome = scope.newSubManager()) {
            LanguageModel.Cache cache = new LanguageModel.Cache(config.text().layers(), cacheHome);
            long[] deltas = null;
            int[] last = new int[batch];
            for (int step = 0; step < limit; step++) {
                try (NDManager stepScope = scope.newSubManager()) {
                    NDArray logits;
                    if (step == 0) {
                        Prefill prefill = prefill(prompts, prompts.length(), cache, new NDIndex(":, -1"), stepScope);
                        deltas = prefill.positions().deltas();
                        logits = prefill.logits();
                    } else {
                        long[][][] positions = new long[3][batch][1];
                        for (int b = 0; b < batch; b++) {
                            for (int row = 0; row < 3; row++) {
                                positions[row][b][0] = length + step - 1 + deltas[b];
                            }
                        }
                        NDArray ids = stepScope.create(last, new Shape(batch, 1)).toType(DataType.INT64, false);
                        NDArray mask = additiveMask(keyMask, 1, length + step, stepScope);
                        logits = language.forward(language.embed(ids), positions, mask, cache, stepScope, new NDIndex(":, -1"));
                    }
                    if (listener != null) {
                        listener.onStep(step, logits);
                    }
                    float[] values = logits.toFloatArray();
                    int vocabulary = values.length / batch;
                    boolean all = true;
                    for (int b = 0; b < batch; b++) {
                        TokenSampler.Draw draw = samplers[b].draw(values, b * vocabulary, vocabulary);
                        last[b] = draw.token();
                        if (!finished[b]) {
                            tokens.get(b).add(draw.token());
                            logProbs.get(b).add((float) draw.logProb());
                            entropies.get(b).add((float) draw.entropy());
                            finished[b] = stopTokens.contains(draw.token())
                                    || stop.shouldStop(tokens.get(b).stream().mapToInt(Integer::intValue).toArray(),
                                    logProbs.get(b).stream().mapToDouble(Float::doubleValue).toArray());
                        }
                        all &= finished[b];
                    }
                    if (all) {
                        break;
                    }
                }
            }
        }
        int[][] tokenArrays = new int[batch][];
        for (int b = 0; b < batch; b++) {
            tokenArrays[b] = tokens.get(b).stream().mapToInt(Integer::intValue).toArray();
        }
        return new Generation(tokenArrays, floats(logProbs), floats(entropies), finished);
    }

    private static float[][] floats(List<List<Float>> rows) {
        float[][] arrays = new float[rows.size()][];
        for (int b = 0; b < arrays.length; b++) {
            arrays[b] = new float[rows.get(b).size()];
            for (int k = 0; k < arrays[b].length; k++) {
                arrays[b][k] = rows.get(b).get(k);
            }
        }
        return arrays;
    }

    /**
     * Log-probabilities [B, R] of {@code responses} (one length R) following the prompts, from one
     * teacher-forced pass; log-softmax in float32 as transformers' loss takes it.
     */
    public NDArray responseLogProbs(Prompts prompts, int[][] responses, NDManager scope) {
        NDArray targets = scope.create(responses).toType(DataType.INT64, false).expandDims(-1);
        return responseLogits(prompts, responses, scope).logSoftmax(-1).gather(targets, 2).squeeze(2);
    }

    /**
     * The logits [B, R, V] that predict each token of {@code responses} (one length R) following the
     * prompts, from one teacher-forced pass.
     */
    public NDArray responseLogits(Prompts prompts, int[][] responses, NDManager scope) {
        int batch = prompts.batch();
        int length = prompts.length();
        int responseLength = responses[0].length;
        int[][] ids = new int[batch][length + responseLength];
        for (int b = 0; b < batch; b++) {
            if (responses[b].length != responseLength) {
                throw new IllegalArgumentException("responses of lengths " + responseLength + " and " + responses[b].length);
            }
            System.arraycopy(prompts.ids()[b], 0, ids[b], 0, length);
            System.arraycopy(responses[b], 0, ids[b], length, responseLength);
        }
        Prompts whole = new Prompts(ids, prompts.attentionMask() == null ? null : prompts.keyMask(responseLength),
                prompts.patches(), prompts.videos(), prompts.shown());
        return prefill(whole, length, new LanguageModel.Cache(config.text().layers()),
                new NDIndex(":, " + (length - 1) + ":" + (length - 1 + responseLength)), scope).logits();
    }

    private record Prefill(NDArray logits, MropePositions positions) {
    }

    /**
     * The logits at {@code rows} (all when null) of the sequences {@code prompts} holds, whose first
     * {@code promptColumns} columns are prompts and the rest responses (text, whatever their ids), the cache filled.
     */
    private Prefill prefill(Prompts prompts, int promptColumns, LanguageModel.Cache cache, NDIndex rows, NDManager scope) {
        MropePositions positions = MropePositions.of(prompts.ids(), prompts.attentionMask(), prompts.shownGrids(), config, promptColumns);
        NDArray ids = scope.create(prompts.ids()).toType(DataType.INT64, false);
        NDArray embeddings = language.embed(ids);
        if (prompts.patches() != null) {
            embeddings = withVideos(embeddings, prompts, promptColumns,
                    shownFeatures(prompts, videoFeatures(prompts.patches(), prompts.videos(), scope)));
        }
        NDArray mask = additiveMask(prompts.keyMask(0), prompts.length(), prompts.length(), scope);
        return new Prefill(language.forward(embeddings, positions.positions(), mask, cache, scope, rows), positions);
    }

    /** The distinct videos' features [M, D] repeated as the rows show them, in token order. */
    private NDArray shownFeatures(Prompts prompts, NDArray features) {
        int merge = config.vision().spatialMergeSize();
        long[] starts = new long[prompts.videos().size()];
        for (int v = 1; v < starts.length; v++) {
            starts[v] = starts[v - 1] + prompts.videos().get(v - 1).mergedTokens(merge);
        }
        if (Arrays.equals(prompts.shown(), IntStream.range(0, starts.length).toArray())) {
            return features;
        }
        long total = Arrays.stream(prompts.shown()).mapToLong(v -> prompts.videos().get(v).mergedTokens(merge)).sum();
        long[] rows = new long[Math.toIntExact(total)];
        int next = 0;
        for (int video : prompts.shown()) {
            for (int k = 0; k < prompts.videos().get(video).mergedTokens(merge); k++) {
                rows[next++] = starts[video] + k;
            }
        }
        return features.get(features.getManager().create(rows));
    }

    /** The embeddings with the video tokens' rows in the first {@code promptColumns} columns taken from {@code features}, in order. */
    private NDArray withVideos(NDArray embeddings, Prompts prompts, int promptColumns, NDArray features) {
        int batch = prompts.batch();
        int length = prompts.length();
        long[] rows = new long[batch * length];
        long next = (long) batch * length;
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < length; k++) {
                int position = b * length + k;
                rows[position] = k < promptColumns && prompts.ids()[b][k] == config.videoTokenId() ? next++ : position;
            }
        }
        long tokens = next - (long) batch * length;
        if (tokens != features.getShape().get(0)) {
            throw new IllegalArgumentException(tokens + " video tokens for " + features.getShape().get(0) + " video features");
        }
        long width = config.text().hiddenSize();
        NDArray table = embeddings.reshape(-1, width).concat(features, 0);
        return table.get(embeddings.getManager().create(rows)).reshape(batch, length, width);
    }

    /**
     * [B, 1, Q, S] additive: query q (the last Q of S positions) sees key k at or before it whose
     * mask is 1; transformers' {@code finfo.min} elsewhere.
     */
    private static NDArray additiveMask(int[][] keyMask, int queries, int keys, NDManager scope) {
        int batch = keyMask.length;
        float[] mask = new float[batch * queries * keys];
        for (int b = 0; b < batch; b++) {
            for (int q = 0; q < queries; q++) {
                int position = keys - queries + q;
                for (int k = 0; k < keys; k++) {
                    boolean visible = k <= position && keyMask[b][k] == 1;
                    mask[(b * queries + q) * keys + k] = visible ? 0 : QwenOps.MASKED;
                }
            }
        }
        return scope.create(mask, new Shape(batch, 1, queries, keys));
    }

    @Override
    public void close() {
        manager.close();
    }
}
