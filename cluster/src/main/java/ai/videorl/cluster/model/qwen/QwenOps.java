package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.videorl.cluster.model.TapeScalar;

/**
 * The tensor operations both halves of Qwen2.5-VL share, each as transformers computes it in
 * float32 with eager attention. DJL lacks RMSNorm, SiLU and rsqrt: they are composed here. Numbers
 * that multiply a tensor on the autograd tape go through {@link TapeScalar}.
 */
final class QwenOps {

    /** transformers' additive mask value, {@code torch.finfo(float32).min}. */
    static final float MASKED = -Float.MAX_VALUE;

    private QwenOps() {
    }

    /** Qwen2RMSNorm: x / sqrt(mean(x²) + ε) · weight, over the last axis. */
    static NDArray rmsNorm(NDArray x, NDArray weight, double epsilon) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(epsilon).sqrt()).mul(weight);
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null ? Linear.linear(x, weight).singletonOrThrow() : Linear.linear(x, weight, bias).singletonOrThrow();
    }

    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** The gated MLP: down(silu(gate(x)) · up(x)), with biases in the vision tower. */
    static NDArray gatedMlp(NDArray x, Qwen25VlWeights weights, String prefix) {
        NDArray gate = weights.project(x, prefix + "gate_proj");
        NDArray up = weights.project(x, prefix + "up_proj");
        return weights.project(silu(gate).mul(up), prefix + "down_proj");
    }

    /** [-x₂, x₁] of x = [x₁, x₂] split in halves along the last axis. */
    static NDArray rotateHalf(NDArray x) {
        long half = x.getShape().get(x.getShape().dimension() - 1) / 2;
        NDArray first = x.get("..., :" + half);
        NDArray second = x.get("..., " + half + ":");
        return second.neg().concat(first, -1);
    }

    /** x · cos + rotateHalf(x) · sin. */
    static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(rotateHalf(x).mul(sin));
    }

    /**
     * Eager attention, [.., Lq, E] queries over [.., Lk, E] keys: softmax((q·kᵀ)·scale + mask)·v.
     *
     * @param mask additive, broadcast over the scores; null for none
     */
    static NDArray attention(NDArray queries, NDArray keys, NDArray values, NDArray mask, float scale) {
        // In the queries' manager: the keys may be a cache that outlives this call.
        NDArray transposed = keys.swapAxes(-1, -2);
        transposed.attach(queries.getManager());
        NDArray scores = queries.matMul(transposed).mul(TapeScalar.of(queries, scale));
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(values);
    }

    /** Rotary frequencies 1 / θ^(2i / d), i < d / 2, computed as transformers does in float32. */
    static NDArray inverseFrequencies(NDManager manager, int dimension, double theta) {
        NDArray exponents = manager.arange(0, dimension, 2, DataType.INT64).toType(DataType.FLOAT32, false).div(dimension);
        return NDArrays.div(1.0f, NDArrays.pow((float) theta, exponents));
    }
}
