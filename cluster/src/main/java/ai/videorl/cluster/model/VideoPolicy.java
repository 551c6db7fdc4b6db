package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The tiny architecture's {@link Policy}: a small video-language model on DJL (PyTorch), trained
 * from scratch, frames and a prompt in, response tokens out. One instance holds its parameters on
 * one device; calls are serialised, so an executor can share it between tasks. Every parameter is
 * trainable. Its inputs ({@link Inputs}) come from {@link TinyProcessor}.
 *
 * <p>Prompts come laid out alike, as a tiny policy learns best from: the same length, padded on
 * the left with {@link VocabularyTokenizer#PAD}, ending with {@link VocabularyTokenizer#BEGIN}.
 */
public final class VideoPolicy implements Policy {

    /** The DJL engine the policy trains on. */
    static final String ENGINE = "PyTorch";

    private final PolicyConfig config;
    private final NDManager manager;
    private final PolicyParameters parameters;
    private final PolicyNetwork network;

    private VideoPolicy(PolicyConfig config, NDManager manager, PolicyParameters parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.network = new PolicyNetwork(config, parameters);
    }

    /** A freshly initialised policy on {@code device}, its initial weights drawn from {@code seed}. */
    public static VideoPolicy create(PolicyConfig config, Device device, long seed) {
        TorchThreads.fitToExecutor();
        // Named: with ONNX Runtime (the sentence embedder) also on the classpath, DJL's default engine is a guess.
        NDManager manager = NDManager.newBaseManager(Objects.requireNonNull(device, "device"), ENGINE);
        return new VideoPolicy(config, manager, PolicyParameters.initialise(config, manager, seed));
    }

    /** A policy holding {@code weights}, on {@code device}. */
    public static VideoPolicy fromWeights(PolicyWeights weights, Device device) {
        VideoPolicy policy = create(weights.tiny(), device, 0);
        policy.load(weights);
        return policy;
    }

    public PolicyConfig config() {
        return config;
    }

    /** The current weights, labelled with {@code version}. */
    public synchronized PolicyWeights snapshot(long version) {
        return new PolicyWeights(version, config, parameters.names(), parameters.shapes(), parameters.flatten());
    }

    /** Replaces the weights with {@code weights}, which must fit this policy's shape. */
    public synchronized void load(PolicyWeights weights) {
        weights.requireFits(config, parameters.names());
        parameters.load(weights.values());
    }

    public PolicyParameters parameters() {
        return parameters;
    }

    /**
     * A batch of inputs.
     *
     * @param frames [B / copies · F · 3 · H · W] pixels in [0, 1], N C H W per frame
     * @param frameCount F, the same for every sample
     * @param prompts B prompts of equal length, left-padded, each ending with BEGIN
     * @param copies how many consecutive prompts share each video's frames (a group's rollouts):
     *               the frames are stored, and encoded, once per video
     * @param frameTimes [B / copies · F · {@code model.frame_times}] token ids of each frame's time
     *                   ({@link FrameTimes}); empty for a policy without frame times
     */
    public record Inputs(float[] frames, int frameCount, int[][] prompts, int copies, int[] frameTimes) implements PolicyInputs {
        public Inputs {
            Objects.requireNonNull(frames, "frames");
            Objects.requireNonNull(prompts, "prompts");
            Objects.requireNonNull(frameTimes, "frameTimes");
            if (prompts.length == 0 || Arrays.stream(prompts).anyMatch(prompt -> prompt.length != prompts[0].length)) {
                throw new IllegalArgumentException("prompts must be a non-empty batch of equal lengths");
            }
            if (copies < 1 || prompts.length % copies != 0) {
                throw new IllegalArgumentException(prompts.length + " prompts are not whole groups of " + copies);
            }
        }

        /** Without frame times. */
        public Inputs(float[] frames, int frameCount, int[][] prompts, int copies) {
            this(frames, frameCount, prompts, copies, new int[0]);
        }

        /** One video per prompt, without frame times. */
        public Inputs(float[] frames, int frameCount, int[][] prompts) {
            this(frames, frameCount, prompts, 1);
        }

        @Override
        public int batch() {
            return prompts.length;
        }

        /** Distinct videos: {@code batch() / copies}. */
        int videos() {
            return prompts.length / copies;
        }

        /** Prompt {@code row}'s frames, a copy. */
        float[] framesOf(int row) {
            int values = frames.length / videos();
            return Arrays.copyOfRange(frames, row / copies * values, (row / copies + 1) * values);
        }

        @Override
        public Inputs repeatEach(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("need at least one sample per prompt, got " + n);
            }
            int[][] repeatedPrompts = new int[prompts.length * n][];
            for (int b = 0; b < prompts.length; b++) {
                for (int copy = 0; copy < n; copy++) {
                    repeatedPrompts[b * n + copy] = prompts[b].clone();
                }
            }
            return new Inputs(frames, frameCount, repeatedPrompts, copies * n, frameTimes);
        }
    }

    /**
     * {@inheritDoc} Seeds are derived from run seed, iteration, prompt id and sample index. With the
     * cache, each step feeds only the newest token (linear cost per token); without
     * ({@link DecodingConfig#withoutCache}), every step recomputes the sequence.
     */
    @Override
    public synchronized Generation generate(PolicyInputs batchInputs, DecodingConfig decoding, long[] seeds, StopRule stop) {
        Inputs inputs = tiny(batchInputs);
        int batch = inputs.batch();
        if (seeds.length != batch) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + batch + " prompts");
        }
        try (NoGradient noGradient = NoGradient.enter(); NDManager scope = manager.newSubManager()) {
            attachParameters(scope);
            NDArray frameTokens = frameTokens(scope, inputs);
            TokenSampler[] samplers = new TokenSampler[batch];
            int[][] sequences = new int[batch][];
            for (int b = 0; b < batch; b++) {
                samplers[b] = new TokenSampler(decoding, seeds[b], TokenSampler.TINY_VOCABULARY);
                sequences[b] = inputs.prompts()[b].clone();
            }
            List<List<TokenSampler.Draw>> draws = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                draws.add(new ArrayList<>());
            }
            boolean[] finished = new boolean[batch];
            KvCache cache = decoding.useCache()
                    ? KvCache.withCapacity(config.layers(), config.frameTokens(inputs.frameCount()) + sequences[0].length + decoding.maxNewTokens())
                    : new KvCache(config.layers());
            float[] last = nextLogits(scope, frameTokens, sequences, config.frameTokens(inputs.frameCount()), sequences, cache);
            for (int step = 0; step < decoding.maxNewTokens(); step++) {
                boolean all = true;
                for (int b = 0; b < batch; b++) {
                    int next = VocabularyTokenizer.PAD;
                    if (!finished[b]) {
                        TokenSampler.Draw draw = samplers[b].draw(last, b * config.vocabularySize(), config.vocabularySize());
                        next = draw.token();
                        if (next == VocabularyTokenizer.END) {
                            finished[b] = true;
                            next = VocabularyTokenizer.PAD;
                        } else {
                            draws.get(b).add(draw);
                            finished[b] = stop.shouldStop(tokensOf(draws.get(b)), logProbsOf(draws.get(b)));
                        }
                    }
                    sequences[b] = append(sequences[b], next);
                    all &= finished[b];
                }
                if (all || step == decoding.maxNewTokens() - 1) {
                    break;
                }
                // Each cached step's arrays are freed when it ends: kept to the end of the generation,
                // a hundred steps of attention scores took fresh memory every step, and the kernel's
                // page faults on it cost more than the arithmetic. (The uncached path, kept to test
                // the cache, builds on the frames' arrays and so keeps its steps to the end.)
                try (NDManager stepScope = scope.newSubManager()) {
                    if (decoding.useCache()) {
                        last = nextLogits(stepScope, null, newestTokens(sequences), config.frameTokens(inputs.frameCount()), sequences, cache);
                    } else {
                        cache = new KvCache(config.layers());
                        last = nextLogits(stepScope, frameTokens, sequences, config.frameTokens(inputs.frameCount()), sequences, cache);
                    }
                }
            }
            int[][] tokens = new int[batch][];
            double[][] logProbs = new double[batch][];
            double[][] entropies = new double[batch][];
            for (int b = 0; b < batch; b++) {
                List<TokenSampler.Draw> row = draws.get(b);
                tokens[b] = tokensOf(row);
                logProbs[b] = logProbsOf(row);
                entropies[b] = row.stream().mapToDouble(TokenSampler.Draw::entropy).toArray();
            }
            return new Generation(tokens, logProbs, entropies, finished);
        }
    }

    /**
     * Next-token logits at each row's last position, flat [B * V], after feeding {@code fed}: the
     * whole sequences (with the frames, into an empty cache) or each row's newest token.
     */
    private float[] nextLogits(NDManager scope, NDArray frameTokens, int[][] fed, int framePositions, int[][] sequences, KvCache cache) {
        return network.forward(frameTokens, ids(scope, fed), keyMask(scope, framePositions, sequences), cache).get(":, -1, :").toFloatArray();
    }

    private static int[][] newestTokens(int[][] sequences) {
        int[][] newest = new int[sequences.length][];
        for (int b = 0; b < sequences.length; b++) {
            newest[b] = new int[] {sequences[b][sequences[b].length - 1]};
        }
        return newest;
    }

    /** Greedy decoding until END or {@code maxNewTokens}; each sample's response tokens. */
    public int[][] generateGreedy(Inputs inputs, int maxNewTokens, boolean cached) {
        DecodingConfig greedy = DecodingConfig.greedy(maxNewTokens);
        return generate(inputs, cached ? greedy : greedy.withoutCache(), new long[inputs.batch()], StopRule.NONE).tokens();
    }

    private static int[] tokensOf(List<TokenSampler.Draw> draws) {
        return draws.stream().mapToInt(TokenSampler.Draw::token).toArray();
    }

    private static double[] logProbsOf(List<TokenSampler.Draw> draws) {
        return draws.stream().mapToDouble(TokenSampler.Draw::logProb).toArray();
    }

    @Override
    public synchronized TokenScores score(PolicyInputs inputs, int[][] responses, double temperature) {
        try (NoGradient noGradient = NoGradient.enter(); NDManager scope = manager.newSubManager()) {
            attachParameters(scope);
            return TeacherForcing.ragged(teacherForced(scope, tiny(inputs), responses, temperature), responses);
        }
    }

    @Override
    public synchronized Gradient policyGradient(PolicyInputs inputs, int[][] responses, PolicyTargets targets,
                                                PolicyLossConfig config, BatchShape batch) {
        return withGradients(scope -> TeacherForcing.policyLoss(teacherForced(scope, tiny(inputs), responses, targets.temperature()),
                responses, targets, config, batch, scope));
    }

    @Override
    public synchronized Gradient supervisedGradient(PolicyInputs inputs, int[][] responses, BatchShape batch) {
        return withGradients(scope -> TeacherForcing.supervisedLoss(teacherForced(scope, tiny(inputs), responses, 1), responses, batch,
                scope));
    }

    /**
     * The perception stage's gradient: binary cross-entropy of the frame-tag head's logits against
     * the tags each frame shows, averaged over each video's frames and tags and summed over this
     * shard's videos, then divided by {@code videosInBatch}: the shards' gradients add up to the
     * batch mean. Only the frame encoder and the head get gradients.
     *
     * @param frames [B · F · 3 · H · W] pixels in [0, 1]
     * @param frameCount F
     * @param labels [B · F · T]: 1 where frame f of video b shows tag t, else 0
     * @param videosInBatch videos in the whole batch, over every shard
     */
    public synchronized Gradient perceptionGradient(float[] frames, int frameCount, float[] labels, int videosInBatch) {
        int tags = config.frameTags();
        if (tags == 0) {
            throw new IllegalStateException("this policy has no frame-tag head (PolicyConfig.frameTags is 0)");
        }
        int videos = labels.length / (frameCount * tags);
        if (videos == 0 || labels.length != videos * frameCount * tags) {
            throw new IllegalArgumentException(labels.length + " labels are not whole videos of " + frameCount + " frames x " + tags + " tags");
        }
        return withGradients(scope -> {
            NDArray logits = network.frameTagLogits(network.frameFeatures(framesArray(scope, frames, videos, frameCount)));
            NDArray truth = scope.create(labels, logits.getShape());
            // log(1 + e^z) − y·z is −[y log σ(z) + (1 − y) log(1 − σ(z))], without overflow.
            NDArray summed = Activation.softPlus(logits).sub(logits.mul(truth)).sum();
            NDArray loss = summed.div(TapeScalar.of(summed, (float) frameCount * tags * videosInBatch));
            return new TensorLoss.Result(loss, new LossResult(loss.getFloat(), 0, 0, 0, (long) videos * frameCount * tags, 0, 0, 0));
        });
    }

    @Override
    public synchronized TrainableWeights trainableWeights(long version) {
        return new TrainableWeights(version, parameters.names(), parameters.shapes(), parameters.flatten());
    }

    @Override
    public synchronized void loadTrainableWeights(TrainableWeights weights) {
        weights.requireSameTensors(parameters.names(), parameters.shapes());
        parameters.load(weights.values());
    }

    /** The flat weights, in {@link PolicyParameters#flatten()} order. */
    public synchronized float[] weights() {
        return parameters.flatten();
    }

    /** Replaces the weights (e.g. after the driver's optimizer step). */
    public synchronized void loadWeights(float[] weights) {
        parameters.load(weights);
    }

    private Gradient withGradients(Function<NDManager, TensorLoss.Result> lossOf) {
        return TrainableGradients.of(manager, parameters.tensors(), lossOf);
    }

    private static Inputs tiny(PolicyInputs inputs) {
        if (inputs instanceof Inputs tiny) {
            return tiny;
        }
        throw new IllegalArgumentException("the tiny policy reads its own inputs, not " + inputs.getClass().getSimpleName());
    }

    private TeacherForcing.Scores teacherForced(NDManager scope, Inputs inputs, int[][] responses, double temperature) {
        int longest = TeacherForcing.longest(responses, inputs.batch());
        int promptLength = inputs.prompts()[0].length;
        int[][] full = new int[inputs.batch()][];
        for (int b = 0; b < full.length; b++) {
            full[b] = Arrays.copyOf(inputs.prompts()[b], promptLength + longest);
            System.arraycopy(responses[b], 0, full[b], promptLength, responses[b].length);
        }
        NDArray logits = network.forward(frameTokens(scope, inputs), ids(scope, full),
                keyMask(scope, config.frameTokens(inputs.frameCount()), full), new KvCache(config.layers()));
        // The logits at position p predict token p + 1: the last prompt position predicts the first response token.
        NDArray predicting = logits.get(":, " + (promptLength - 1) + ":" + (promptLength - 1 + longest) + ", :");
        return TeacherForcing.scores(predicting, responses, temperature, scope);
    }

    /** Parameters join the scope while it is open, so everything computed from them is freed with it. */
    private void attachParameters(NDManager scope) {
        for (NDArray tensor : parameters.tensors()) {
            tensor.tempAttach(scope);
        }
    }

    /**
     * Frame tokens [B, F·(G² + K), D]: each distinct video encoded once, then repeated for the
     * prompts that share it.
     */
    private NDArray frameTokens(NDManager scope, Inputs inputs) {
        NDArray tokens = network.encodeFrames(framesArray(scope, inputs.frames(), inputs.videos(), inputs.frameCount()),
                frameTimesArray(scope, inputs));
        return inputs.copies() == 1 ? tokens : tokens.repeat(0, inputs.copies());
    }

    /** [videos, F, K] int64 time token ids, or null for a policy without frame times. */
    private NDArray frameTimesArray(NDManager scope, Inputs inputs) {
        int width = config.frameTimes();
        long expected = (long) inputs.videos() * inputs.frameCount() * width;
        if (inputs.frameTimes().length != expected) {
            throw new IllegalArgumentException("the policy reads " + width + " characters of each frame's time (model.frame_times "
                    + width + "): expected " + expected + " time tokens for " + inputs.videos() + " x " + inputs.frameCount()
                    + " frames, got " + inputs.frameTimes().length);
        }
        if (width == 0) {
            return null;
        }
        return scope.create(Arrays.stream(inputs.frameTimes()).asLongStream().toArray(), new Shape(inputs.videos(), inputs.frameCount(), width));
    }

    private NDArray framesArray(NDManager scope, float[] frames, int batch, int frameCount) {
        int size = config.frameSize();
        long expected = (long) batch * frameCount * 3 * size * size;
        if (frames.length != expected || frameCount > config.maxFrames()) {
            throw new IllegalArgumentException("expected " + batch + " x " + frameCount + " frames of 3 x "
                    + size + " x " + size + " (at most " + config.maxFrames() + " frames), got " + frames.length + " values");
        }
        return scope.create(frames, new Shape(batch, frameCount, 3, size, size));
    }

    private static NDArray ids(NDManager scope, int[][] tokens) {
        long[] flat = new long[tokens.length * tokens[0].length];
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < tokens[b].length; t++) {
                flat[b * tokens[b].length + t] = tokens[b][t];
            }
        }
        return scope.create(flat, new Shape(tokens.length, tokens[0].length));
    }

    /** [B, frame tokens + T]: 1 for frame tokens and real tokens, 0 for padding. */
    private static NDArray keyMask(NDManager scope, int frameTokens, int[][] tokens) {
        int width = frameTokens + tokens[0].length;
        float[] mask = new float[tokens.length * width];
        for (int b = 0; b < tokens.length; b++) {
            for (int p = 0; p < width; p++) {
                mask[b * width + p] = p < frameTokens || tokens[b][p - frameTokens] != VocabularyTokenizer.PAD ? 1 : 0;
            }
        }
        return scope.create(mask, new Shape(tokens.length, width));
    }

    private static int[] append(int[] sequence, int token) {
        int[] longer = Arrays.copyOf(sequence, sequence.length + 1);
        longer[sequence.length] = token;
        return longer;
    }

    @Override
    public void close() {
        manager.close();
    }
}
