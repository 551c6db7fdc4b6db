package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
