package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;

import java.util.Arrays;

/**
 * Qwen2.5-VL's vision tower: patches of two frames to one token per merged 2x2 block, as
 * transformers 4.57.6's {@code Qwen2_5_VisionTransformerPretrainedModel} computes it.
 *
 * <p>Dimensions: N patches, C·T·P·P values a patch (channels, 2 frames, 14 x 14 pixels), E width,
 * H heads of width e = E / H, S attention segments (windows or frame pairs) padded to the longest,
 * M merged tokens = N / 4, O the language model's width.
 * <ol>
 *   <li>Patch embedding: a 3-D convolution whose stride is its kernel, [N, E].</li>
 *   <li>2-D rotary positions: the first e / 4 frequency pairs turn with the patch's row, the next
 *       e / 4 with its column (θ 10000), applied in float32.</li>
 *   <li>Merge units (2x2 patches) reordered into windows ({@link VisionLayout}); blocks in
 *       {@code fullatt_block_indexes} attend within each frame pair, the others within each
 *       window. Each block: x + attention(RMSNorm(x)), then x + gated SiLU MLP(RMSNorm(x)), ε 1e-6.</li>
 *   <li>Patch merger: RMSNorm, the four patches of a unit side by side (4E), Linear, exact GELU,
 *       Linear to O; then the units back in arrival order, [M, O].</li>
 * </ol>
 */
final class VisionTower {

    /** The tower's RMSNorm ε, fixed in transformers whatever the configuration says. */
    private static final double EPSILON = 1e-6;
    private static final double THETA = 10000;

    private final Qwen25VlConfig.Vision config;
    private final Qwen25VlWeights weights;

    VisionTower(Qwen25VlConfig.Vision config, Qwen25VlWeights weights) {
        this.config = config;
        this.weights = weights;
    }

    /**
     * @param patches [N, C·T·P·P] in the processor's order ({@code pixel_values_videos})
     * @return [M, O], the videos' tokens in arrival order
     */
    NDArray forward(NDArray patches, VisionLayout layout, NDManager scope) {
        int count = layout.patches();
        if (patches.getShape().get(0) != count || patches.getShape().get(1) != config.patchValues()) {
            throw new IllegalArgumentException("patches of shape " + patches.getShape() + " for " + count
                    + " patches of " + config.patchValues() + " values");
        }
        int unit = config.spatialMergeSize() * config.spatialMergeSize();
        NDArray x = Conv3d.conv3d(patches.reshape(count, config.inChannels(), config.temporalPatchSize(), config.patchSize(),
                        config.patchSize()), weights.get("visual.patch_embed.proj.weight"), null,
                new Shape(config.temporalPatchSize(), config.patchSize(), config.patchSize())).singletonOrThrow()
                .reshape(count, config.hiddenSize());

        NDArray windowOrder = scope.create(Arrays.stream(layout.windowOrder()).asLongStream().toArray());
        x = x.reshape(count / unit, unit, config.hiddenSize()).get(windowOrder).reshape(count, config.hiddenSize());
        NDArray angles = rotaryAngles(layout, scope).reshape(count / unit, unit, -1).get(windowOrder).reshape(count, -1);
        NDArray doubled = angles.concat(angles, -1).expandDims(1); // [N, 1, e]
        NDArray cos = doubled.cos();
        NDArray sin = doubled.sin();

        Segments windows = Segments.of(layout.windowLengths(), scope);
        Segments frames = Segments.of(layout.frameLengths(), scope);
        for (int block = 0; block < config.depth(); block++) {
            String prefix = "visual.blocks." + block + ".";
            Segments segments = config.isFullAttention(block) ? frames : windows;
            try (NDManager blockScope = scope.newSubManager()) {
                // As in the language model: a block's intermediates are freed when it ends.
                x.attach(blockScope);
                x = x.add(attention(QwenOps.rmsNorm(x, weights.get(prefix + "norm1.weight"), EPSILON), prefix, segments, cos, sin));
                x = x.add(QwenOps.gatedMlp(QwenOps.rmsNorm(x, weights.get(prefix + "norm2.weight"), EPSILON), weights,
                        prefix + "mlp."));
                x.attach(scope);
            }
        }

        NDArray merged = QwenOps.rmsNorm(x, weights.get("visual.merger.ln_q.weight"), EPSILON)
                .reshape(count / unit, (long) unit * config.hiddenSize());
        merged = QwenOps.linear(merged, weights.get("visual.merger.mlp.0.weight"), weights.get("visual.merger.mlp.0.bias"));
        merged = QwenOps.linear(Activation.gelu(merged), weights.get("visual.merger.mlp.2.weight"),
                weights.get("visual.merger.mlp.2.bias"));
        return merged.get(scope.create(Arrays.stream(layout.arrivalOrder()).asLongStream().toArray()));
    }

    /** [N, e / 2]: each patch's row times the first e / 4 frequencies, then its column times them. */
    private NDArray rotaryAngles(VisionLayout layout, NDManager scope) {
        NDArray frequencies = QwenOps.inverseFrequencies(scope, config.headDim() / 2, THETA).expandDims(0);
        NDArray rows = scope.create(layout.rows()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(1);
        NDArray columns = scope.create(layout.columns()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(1);
        return rows.mul(frequencies).concat(columns.mul(frequencies), 1);
    }

    /** Self-attention of each segment's patches among themselves, [N, E] in and out. */
    private NDArray attention(NDArray x, String prefix, Segments segments, NDArray cos, NDArray sin) {
        long count = x.getShape().get(0);
        int heads = config.heads();
        NDArray qkv = weights.project(x, prefix + "attn.qkv")
                .reshape(count, 3, heads, config.headDim());
        NDArray queries = QwenOps.rotate(qkv.get(":, 0"), cos, sin);
        NDArray keys = QwenOps.rotate(qkv.get(":, 1"), cos, sin);
        NDArray values = qkv.get(":, 2");
        // [S, H, longest, e]: each segment's patches, padding masked out of the keys.
        NDArray output = QwenOps.attention(segments.gather(queries), segments.gather(keys), segments.gather(values),
                segments.keyMask(), (float) Math.pow(config.headDim(), -0.5));
        output = segments.scatter(output.transpose(0, 2, 1, 3).reshape(-1, config.hiddenSize()));
        return weights.project(output, prefix + "attn.proj");
    }

    /**
     * Consecutive runs of a sequence, each attending only within itself, batched by padding every
     * run to the longest: {@code gather} lays [N, H, e] out as [S, H, longest, e], the key mask
     * hides the padding, and {@code scatter} takes the real rows of [S·longest, E] back in order.
     */
    private record Segments(NDArray slots, NDArray realSlots, NDArray keyMask, int segments, int longest) {

        static Segments of(int[] lengths, NDManager scope) {
            int longest = Arrays.stream(lengths).max().orElse(0);
            long[] slots = new long[lengths.length * longest];
            float[] mask = new float[lengths.length * longest];
            long[] real = new long[Arrays.stream(lengths).sum()];
            int start = 0;
            int filled = 0;
            for (int s = 0; s < lengths.length; s++) {
                for (int k = 0; k < longest; k++) {
                    int slot = s * longest + k;
                    if (k < lengths[s]) {
                        slots[slot] = start + k;
                        real[filled++] = slot;
                    } else {
                        mask[slot] = QwenOps.MASKED;
                    }
                }
                start += lengths[s];
            }
            return new Segments(scope.create(slots), scope.create(real),
                    scope.create(mask, new Shape(lengths.length, 1, 1, longest)), lengths.length, longest);
        }

        NDArray gather(NDArray perPatch) {
            Shape shape = perPatch.getShape();
            return perPatch.get(slots).reshape(segments, longest, shape.get(1), shape.get(2)).transpose(0, 2, 1, 3);
        }

        NDArray scatter(NDArray perSlot) {
            return perSlot.get(realSlots);
        }
    }
}
