package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;

import java.util.List;
import java.util.function.Function;

/**
 * One backward pass over a policy's trainable tensors: their gradients as one flat vector, in the
 * tensors' order, with the loss they came from.
 */
public final class TrainableGradients {

    /** PyTorch's gradient recording (DJL's PtGradientCollector) is JVM-wide: one backward pass at a time per JVM. */
    private static final Object RECORDING = new Object();

    private TrainableGradients() {
    }

    /**
     * The gradient of {@code lossOf}'s loss. The tensors join a scope of {@code home} while the pass
     * runs, so everything computed from them is freed with it.
     */
    public static Policy.Gradient of(NDManager home, List<NDArray> trainable, Function<NDManager, TensorLoss.Result> lossOf) {
        synchronized (RECORDING) {
            try (NDManager scope = home.newSubManager();
                 GradientCollector collector = home.getEngine().newGradientCollector()) {
                for (NDArray tensor : trainable) {
                    tensor.tempAttach(scope);
                }
                zeroGradients(trainable);
                TensorLoss.Result result = lossOf.apply(scope);
                collector.backward(result.loss());
                long size = trainable.stream().mapToLong(NDArray::size).sum();
                float[] flat = new float[Math.toIntExact(size)];
                int offset = 0;
                for (NDArray tensor : trainable) {
                    float[] gradient = tensor.getGradient().toFloatArray();
                    System.arraycopy(gradient, 0, flat, offset, gradient.length);
                    offset += gradient.length;
                }
                return new Policy.Gradient(flat, result.values());
            }
        }
    }

    /**
     * Overwrites the gradient buffers with zeros. Not DJL's {@code GradientCollector.zeroGradients}:
     * it subtracts each buffer from itself, which leaves a NaN as NaN, so one bad backward pass
     * would poison every later gradient of the shard.
     */
    private static void zeroGradients(List<NDArray> trainable) {
        for (NDArray tensor : trainable) {
            if (tensor.hasGradient()) {
                // An in-place fill of the buffer libtorch owns (set(float[]) would swap in a Java buffer).
                tensor.getGradient().set(new NDIndex("..."), 0f);
            }
        }
    }
}
