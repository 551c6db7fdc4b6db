package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The policy's trainable tensors, by name, in a fixed order: the order of the flat vectors that
 * gradients are aggregated in and weights are broadcast as.
 *
 * <p>Shapes (D width, V vocabulary, F max frames, S max length): {@code frames.conv1} [D, 9, 4, 4]
 * over three stacked neighbour frames, {@code frames.conv2} [D, D, 3, 3] (residual),
 * {@code frames.position} [F, D], with a frame grid G > 1 {@code frames.cell} [G², D] (each cell's
 * position in its frame), {@code frames.attention_bias} [L, N] (each layer's and head's
 * bias towards frame keys), {@code tokens.embedding} [V, D] (tied with the output),
 * {@code positions} [S, D], {@code tokens.previous} [V, D] (each position's previous token),
 * {@code segments.prompt} and {@code segments.response} [D] (added to prompt and response
 * tokens), per layer {@code norm1/norm2} gain and bias [D], {@code qkv} [D, 3D],
 * {@code out} [D, D], {@code mlp1} [D, 4D], {@code mlp2} [4D, D], {@code final.norm}, and with T
 * frame tags {@code frames.tags} [D, T] and [T] last.
 */
public final class PolicyParameters {

    private static final float INIT_SCALE = 0.02f;

    /**
     * The initial bias of every head's attention logits towards the frame tokens. With uniform
     * attention at initialisation, a text position dozens of tokens after the frames sees them as
     * a small share of its keys, and learning to look at them took a tiny policy hundreds of
     * steps longer than learning the words around them ({@code PolicyPerceptionTest}); e ≈ 2.7
     * times the weight per frame key from the start shortens that. Not more: at 2, a short SFT
     * learnt the template itself more slowly (text keys get less of the attention). A learned
     * parameter: training moves it.
     */
    static final float VISUAL_ATTENTION_BIAS = 1f;

    private static final long CELL_SEED = 0x63656c6cL;

    /** The frame-tag head, [D, T] and [T], present when {@link PolicyConfig#frameTags()} > 0. */
    static final String FRAME_TAGS_WEIGHT = "frames.tags.weight";
    static final String FRAME_TAGS_BIAS = "frames.tags.bias";

    private final Map<String, NDArray> tensors;

    private PolicyParameters(Map<String, NDArray> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Freshly initialised parameters: He-normal frame convolutions, normal(0, 0.02) other weights
     * (normal(0, 1/√D) for the frame-tag head), zero biases, unit norm gains, the frame-attention
     * bias; seeded.
     */
    public static PolicyParameters initialise(PolicyConfig config, NDManager manager, long seed) {
        Random random = new Random(seed);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        int d = config.width();
        // He-initialised (std sqrt(2 / fan-in)): each convolution feeds a ReLU. Trained directly on
        // which shapes each frame shows, an encoder initialised so learnt them far faster (docs/policy.md).
        put(tensors, manager, "frames.conv1.weight", normal(random, he(9 * PolicyConfig.PATCH * PolicyConfig.PATCH),
                d, 3 * 3, PolicyConfig.PATCH, PolicyConfig.PATCH));
        put(tensors, manager, "frames.conv1.bias", zeros(d));
        put(tensors, manager, "frames.conv2.weight", normal(random, he(9 * d), d, d, 3, 3));
        put(tensors, manager, "frames.conv2.bias", zeros(d));
        put(tensors, manager, "frames.position", normal(random, config.maxFrames(), d));
        if (config.frameGrid() > 1) {
            // Drawn from a generator of its own: a one-token-a-frame policy starts from the same values as before the grid.
            put(tensors, manager, "frames.cell", normal(new Random(seed ^ CELL_SEED), config.cellsPerFrame(), d));
        }
        put(tensors, manager, "frames.attention_bias", constant(VISUAL_ATTENTION_BIAS, config.layers(), config.heads()));
        put(tensors, manager, "tokens.embedding", normal(random, config.vocabularySize(), d));
        put(tensors, manager, "positions", normal(random, config.maxLength(), d));
        put(tensors, manager, "tokens.previous", normal(random, config.vocabularySize(), d));
        put(tensors, manager, "segments.prompt", normal(random, d));
        put(tensors, manager, "segments.response", normal(random, d));
        for (int layer = 0; layer < config.layers(); layer++) {
            String prefix = "layer" + layer + ".";
            put(tensors, manager, prefix + "norm1.gain", ones(d));
            put(tensors, manager, prefix + "norm1.bias", zeros(d));
            put(tensors, manager, prefix + "qkv.weight", normal(random, d, 3 * d));
            put(tensors, manager, prefix + "qkv.bias", zeros(3 * d));
            put(tensors, manager, prefix + "out.weight", normal(random, d, d));
            put(tensors, manager, prefix + "out.bias", zeros(d));
            put(tensors, manager, prefix + "norm2.gain", ones(d));
            put(tensors, manager, prefix + "norm2.bias", zeros(d));
            put(tensors, manager, prefix + "mlp1.weight", normal(random, d, 4 * d));
            put(tensors, manager, prefix + "mlp1.bias", zeros(4 * d));
            put(tensors, manager, prefix + "mlp2.weight", normal(random, 4 * d, d));
            put(tensors, manager, prefix + "mlp2.bias", zeros(d));
        }
        put(tensors, manager, "final.norm.gain", ones(d));
        put(tensors, manager, "final.norm.bias", zeros(d));
        if (config.frameTags() > 0) {
            // Last, so that dropping the head after the perception stage drops the tail of the flat weights.
            put(tensors, manager, FRAME_TAGS_WEIGHT, normal(random, (float) Math.sqrt(1.0 / d), d, config.frameTags()));
            put(tensors, manager, FRAME_TAGS_BIAS, zeros(config.frameTags()));
        }
        return new PolicyParameters(tensors);
    }

    public NDArray get(String name) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return tensor;
    }

    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    public List<NDArray> tensors() {
        return new ArrayList<>(tensors.values());
    }

    /** Each tensor's dimensions, in {@link #names()} order. */
    public List<long[]> shapes() {
        return tensors.values().stream().map(tensor -> tensor.getShape().getShape()).toList();
    }

    /** Number of scalars over all tensors. */
    public long size() {
        long size = 0;
        for (NDArray tensor : tensors.values()) {
            size += tensor.size();
        }
        return size;
    }

    /** All values, tensor after tensor in {@link #names()} order. */
    public float[] flatten() {
        float[] flat = new float[Math.toIntExact(size())];
        int offset = 0;
        for (NDArray tensor : tensors.values()) {
            float[] values = tensor.toFloatArray();
            System.arraycopy(values, 0, flat, offset, values.length);
            offset += values.length;
        }
        return flat;
    }

    /** Overwrites every tensor from a flat vector laid out as {@link #flatten()} lays it out. */
    public void load(float[] flat) {
        if (flat.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " parameters, got " + flat.length);
        }
        int offset = 0;
        for (NDArray tensor : tensors.values()) {
            int length = Math.toIntExact(tensor.size());
            float[] values = new float[length];
            System.arraycopy(flat, offset, values, 0, length);
            tensor.set(values);
            offset += length;
        }
    }

    private record Init(float[] values, long[] shape) {
    }

    private static void put(Map<String, NDArray> tensors, NDManager manager, String name, Init init) {
        NDArray tensor = manager.create(init.values(), new Shape(init.shape()));
        tensor.setName(name);
        tensor.setRequiresGradient(true);
        tensors.put(name, tensor);
    }

    private static Init constant(float value, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        Arrays.fill(values, value);
        return new Init(values, shape);
    }

    private static Init normal(Random random, long... shape) {
        return normal(random, INIT_SCALE, shape);
    }

    private static Init normal(Random random, float scale, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return new Init(values, shape);
    }

    private static float he(int fanIn) {
        return (float) Math.sqrt(2.0 / fanIn);
    }

    private static Init zeros(long size) {
        return new Init(new float[Math.toIntExact(size)], new long[] {size});
    }

    private static Init ones(long size) {
        float[] values = new float[Math.toIntExact(size)];
        Arrays.fill(values, 1f);
        return new Init(values, new long[] {size});
    }
}
