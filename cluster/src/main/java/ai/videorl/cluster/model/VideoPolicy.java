package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable video-language policy on DJL (PyTorch): frames and a prompt in, response tokens
 * out. One instance holds its parameters on one device; calls are serialised, so an executor
 * can share it between tasks.
 *
 * <p>Prompts come laid out alike, as a tiny policy learns best from: the same length, padded on
 * the left with {@link VocabularyTokenizer#PAD}, ending with {@link VocabularyTokenizer#BEGIN}.
 */
public final class VideoPolicy implements AutoCloseable {

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
        NDManager manager = NDManager.newBaseManager(Objects.requireNonNull(device, "device"));
        return new VideoPolicy(config, manager, PolicyParameters.initialise(config, manager, seed));
    }

    public PolicyConfig config() {
        return config;
    }

    public PolicyParameters parameters() {
        return parameters;
    }

    /**
     * A batch of inputs.
     *
     * @param frames [B · F · 3 · H · W] pixels in [0, 1], N C H W per frame
     * @param frameCount F, the same for every sample
     * @param prompts B prompts of equal length, left-padded, each ending with BEGIN
     */
    public record Inputs(float[] frames, int frameCount, int[][] prompts) {
        public Inputs {
            Objects.requireNonNull(frames, "frames");
            Objects.requireNonNull(prompts, "prompts");
            if (prompts.length == 0 || Arrays.stream(prompts).anyMatch(prompt -> prompt.length != prompts[0].length)) {
                throw new IllegalArgumentException("prompts must be a non-empty batch of equal lengths");
            }
        }

        int batch() {
            return prompts.length;
        }
    }

    /**
     * Greedy decoding: the most likely token at each step, until END or {@code maxNewTokens}.
     * With {@code cached} the keys and values of earlier positions are reused (linear cost per
     * token); without, every step recomputes the whole sequence (the reference to check against).
     *
     * @return each sample's response tokens, END excluded
     */
    public synchronized int[][] generateGreedy(Inputs inputs, int maxNewTokens, boolean cached) {
        try (NDManager scope = manager.newSubManager()) {
            attachParameters(scope);
            int batch = inputs.batch();
            NDArray frameTokens = network.encodeFrames(framesArray(scope, inputs));
            int[][] sequences = new int[batch][];
            for (int b = 0; b < batch; b++) {
                sequences[b] = inputs.prompts()[b].clone();
            }
            boolean[] finished = new boolean[batch];
            int[] lengths = new int[batch];
            KvCache cache = new KvCache(config.layers());
            NDArray logits = network.forward(frameTokens, ids(scope, sequences), keyMask(scope, inputs.frameCount(), sequences), cache);
            for (int step = 0; step < maxNewTokens; step++) {
                int[] next = argmaxOfLast(logits);
                boolean all = true;
                for (int b = 0; b < batch; b++) {
                    if (!finished[b]) {
                        finished[b] = next[b] == VocabularyTokenizer.END;
                        lengths[b] += finished[b] ? 0 : 1;
                    }
                    sequences[b] = append(sequences[b], finished[b] ? VocabularyTokenizer.PAD : next[b]);
                    all &= finished[b];
                }
                if (all || step == maxNewTokens - 1) {
                    break;
                }
                if (cached) {
                    int[][] newest = new int[batch][];
                    for (int b = 0; b < batch; b++) {
                        newest[b] = new int[] {sequences[b][sequences[b].length - 1]};
                    }
                    logits = network.forward(null, ids(scope, newest), keyMask(scope, inputs.frameCount(), sequences), cache);
                } else {
                    cache = new KvCache(config.layers());
                    logits = network.forward(frameTokens, ids(scope, sequences), keyMask(scope, inputs.frameCount(), sequences), cache);
                }
            }
            int[][] responses = new int[batch][];
            for (int b = 0; b < batch; b++) {
                int promptLength = inputs.prompts()[b].length;
                responses[b] = Arrays.copyOfRange(sequences[b], promptLength, promptLength + lengths[b]);
            }
            return responses;
        }
    }

    /**
     * Log-probabilities and entropies of given responses, per response token.
     *
     * @param logProbs [B][R_b] log-probability of each response token under this policy
     * @param entropies [B][R_b] entropy of this policy's distribution at each response position
     */
    public record TokenScores(double[][] logProbs, double[][] entropies) {
    }

    /** Scores {@code responses} (teacher forcing, no gradient): old and reference log-probabilities. */
    public synchronized TokenScores score(Inputs inputs, int[][] responses) {
        try (NDManager scope = manager.newSubManager()) {
            attachParameters(scope);
            TeacherForced forced = teacherForced(scope, inputs, responses);
            return new TokenScores(ragged(forced.logProbs(), responses), ragged(forced.entropies(), responses));
        }
    }

    /**
     * What the GRPO loss needs besides the policy's own log-probabilities, per response token.
     *
     * @param oldLogProbs [B][R_b] under the policy that generated the rollouts
     * @param referenceLogProbs [B][R_b] under the reference policy, or null without a KL term
     * @param advantages [B][R_b] per-token advantages
     */
    public record PolicyTargets(double[][] oldLogProbs, double[][] referenceLogProbs, double[][] advantages) {
    }

    /**
     * A gradient as one flat vector in {@link PolicyParameters#flatten()} order, with the loss it
     * came from: the shard's exact share of the batch's, ready to be summed over executors.
     */
    public record Gradient(float[] values, LossResult loss) {
    }

    /** The GRPO loss's gradient on this shard of the batch. */
    public synchronized Gradient policyGradient(Inputs inputs, int[][] responses, PolicyTargets targets,
                                                PolicyLossConfig config, BatchShape batch) {
        return withGradients(scope -> {
            TeacherForced forced = teacherForced(scope, inputs, responses);
            NDArray weights = tokenWeights(scope, responses, config.aggregation(), batch);
            return TensorLoss.evaluate(config, forced.logProbs(), padded(scope, targets.oldLogProbs(), responses),
                    targets.referenceLogProbs() == null ? null : padded(scope, targets.referenceLogProbs(), responses),
                    padded(scope, targets.advantages(), responses), forced.entropies(), weights, forced.mask());
        });
    }

    /** Cross-entropy of reference responses (the SFT warm start), token-mean over the batch. */
    public synchronized Gradient supervisedGradient(Inputs inputs, int[][] responses, BatchShape batch) {
        return withGradients(scope -> {
            TeacherForced forced = teacherForced(scope, inputs, responses);
            NDArray weights = tokenWeights(scope, responses, LossAggregation.TOKEN_MEAN, batch);
            NDArray loss = forced.logProbs().mul(weights).sum().neg();
            return new TensorLoss.Result(loss, new LossResult(loss.getFloat(), loss.getFloat(), 0, 0, batch.tokens(), 0, 0, 0));
        });
    }

    /** The flat weights, in {@link PolicyParameters#flatten()} order. */
    public synchronized float[] weights() {
        return parameters.flatten();
    }

    /** Replaces the weights (e.g. after the driver's optimizer step). */
    public synchronized void loadWeights(float[] weights) {
        parameters.load(weights);
    }

    /** PyTorch's gradient recording is JVM-wide (STACK.md): one backward pass at a time per JVM. */
    private static final Object GRADIENT_RECORDING = new Object();

    private Gradient withGradients(java.util.function.Function<NDManager, TensorLoss.Result> lossOf) {
        synchronized (GRADIENT_RECORDING) {
            try (NDManager scope = manager.newSubManager();
                 GradientCollector collector = manager.getEngine().newGradientCollector()) {
                attachParameters(scope);
                collector.zeroGradients();
                TensorLoss.Result result = lossOf.apply(scope);
                collector.backward(result.loss());
                float[] flat = new float[Math.toIntExact(parameters.size())];
                int offset = 0;
                for (NDArray tensor : parameters.tensors()) {
                    float[] gradient = tensor.getGradient().toFloatArray();
                    System.arraycopy(gradient, 0, flat, offset, gradient.length);
                    offset += gradient.length;
                }
                return new Gradient(flat, result.values());
            }
        }
    }

    /** Per-token log-probabilities, entropies and the real-token mask, [B, R] each (R the longest response). */
    private record TeacherForced(NDArray logProbs, NDArray entropies, NDArray mask) {
    }

    private TeacherForced teacherForced(NDManager scope, Inputs inputs, int[][] responses) {
        if (responses.length != inputs.batch()) {
            throw new IllegalArgumentException(responses.length + " responses for " + inputs.batch() + " prompts");
        }
        int promptLength = inputs.prompts()[0].length;
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        if (longest == 0) {
            throw new IllegalArgumentException("every response is empty");
        }
        int[][] full = new int[inputs.batch()][];
        float[] mask = new float[inputs.batch() * longest];
        long[] targets = new long[inputs.batch() * longest];
        for (int b = 0; b < full.length; b++) {
            full[b] = Arrays.copyOf(inputs.prompts()[b], promptLength + longest);
            for (int t = 0; t < responses[b].length; t++) {
                full[b][promptLength + t] = responses[b][t];
                targets[b * longest + t] = responses[b][t];
                mask[b * longest + t] = 1;
            }
        }
        NDArray logits = network.forward(network.encodeFrames(framesArray(scope, inputs)), ids(scope, full),
                keyMask(scope, inputs.frameCount(), full), new KvCache(config.layers()));
        // The logits at position p predict token p + 1: the last prompt position predicts the first response token.
        NDArray predicted = logits.get(":, " + (promptLength - 1) + ":" + (promptLength - 1 + longest) + ", :").logSoftmax(-1);
        NDArray chosen = scope.create(targets, new Shape(inputs.batch(), longest)).oneHot(config.vocabularySize())
                .toType(DataType.FLOAT32, false);
        NDArray logProbs = predicted.mul(chosen).sum(new int[] {2});
        NDArray entropies = predicted.exp().mul(predicted).sum(new int[] {2}).neg();
        return new TeacherForced(logProbs, entropies, scope.create(mask, new Shape(inputs.batch(), longest)));
    }

    /** Each token's loss weight: the aggregation's, over the whole batch's shape; 0 on padding. */
    private static NDArray tokenWeights(NDManager scope, int[][] responses, LossAggregation aggregation, BatchShape batch) {
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        float[] weights = new float[responses.length * longest];
        for (int b = 0; b < responses.length; b++) {
            float weight = (float) aggregation.tokenWeight(responses[b].length, batch);
            Arrays.fill(weights, b * longest, b * longest + responses[b].length, weight);
        }
        return scope.create(weights, new Shape(responses.length, longest));
    }

    /** Ragged per-token values as a [B, R] tensor, zero-padded. */
    private static NDArray padded(NDManager scope, double[][] values, int[][] responses) {
        int longest = Arrays.stream(responses).mapToInt(response -> response.length).max().orElse(0);
        float[] flat = new float[responses.length * longest];
        for (int b = 0; b < responses.length; b++) {
            if (values[b].length != responses[b].length) {
                throw new IllegalArgumentException("response " + b + " has " + responses[b].length + " tokens but "
                        + values[b].length + " values");
            }
            for (int t = 0; t < values[b].length; t++) {
                flat[b * longest + t] = (float) values[b][t];
            }
        }
        return scope.create(flat, new Shape(responses.length, longest));
    }

    private static double[][] ragged(NDArray values, int[][] responses) {
        float[] flat = values.toFloatArray();
        int longest = Math.toIntExact(values.getShape().get(1));
        double[][] out = new double[responses.length][];
        for (int b = 0; b < responses.length; b++) {
            out[b] = new double[responses[b].length];
            for (int t = 0; t < responses[b].length; t++) {
                out[b][t] = flat[b * longest + t];
            }
        }
        return out;
    }

    /** Parameters join the scope while it is open, so everything computed from them is freed with it. */
    private void attachParameters(NDManager scope) {
        for (NDArray tensor : parameters.tensors()) {
            tensor.tempAttach(scope);
        }
    }

    private NDArray framesArray(NDManager scope, Inputs inputs) {
        int size = config.frameSize();
        long expected = (long) inputs.batch() * inputs.frameCount() * 3 * size * size;
        if (inputs.frames().length != expected || inputs.frameCount() > config.maxFrames()) {
            throw new IllegalArgumentException("expected " + inputs.batch() + " x " + inputs.frameCount() + " frames of 3 x "
                    + size + " x " + size + " (at most " + config.maxFrames() + " frames), got " + inputs.frames().length + " values");
        }
        return scope.create(inputs.frames(), new Shape(inputs.batch(), inputs.frameCount(), 3, size, size));
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

    /** [B, F + T]: 1 for frames and real tokens, 0 for padding. */
    private static NDArray keyMask(NDManager scope, int frameCount, int[][] tokens) {
        int width = frameCount + tokens[0].length;
        float[] mask = new float[tokens.length * width];
        for (int b = 0; b < tokens.length; b++) {
            for (int p = 0; p < width; p++) {
                mask[b * width + p] = p < frameCount || tokens[b][p - frameCount] != VocabularyTokenizer.PAD ? 1 : 0;
            }
        }
        return scope.create(mask, new Shape(tokens.length, width));
    }

    /** The most likely token at the last position, never a special token other than END. */
    private static int[] argmaxOfLast(NDArray logits) {
        long vocabulary = logits.getShape().get(2);
        float[] last = logits.get(":, -1, :").toType(DataType.FLOAT32, false).toFloatArray();
        int batch = Math.toIntExact(last.length / vocabulary);
        int[] best = new int[batch];
        for (int b = 0; b < batch; b++) {
            int choice = VocabularyTokenizer.END;
            for (int v = 0; v < vocabulary; v++) {
                boolean allowed = v == VocabularyTokenizer.END || v > VocabularyTokenizer.UNKNOWN;
                if (allowed && last[(int) (b * vocabulary + v)] > last[(int) (b * vocabulary + choice)]) {
                    choice = v;
                }
            }
            best[b] = choice;
        }
        return best;
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
