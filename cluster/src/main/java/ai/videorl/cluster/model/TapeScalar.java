package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A scalar operand for tensors on the autograd tape. DJL's {@code x.mul(Number)} and
 * {@code x.div(Number)} wrap the number in a tensor over a Java direct buffer and close it as soon
 * as the op returns, but autograd keeps that tensor for the backward pass (d(x/c)/dx = 1/c). Once
 * the garbage collector has freed the buffer, backward reads whatever the memory holds by then:
 * the first backward pass of a JVM gave gradients of 1e17, 1e32 or NaN about one time in four.
 * A scalar from {@link NDManager#full} lives in libtorch's own memory, which the tape's
 * reference keeps alive. (Adding or subtracting a number is safe, its backward never reads the
 * operand; {@code clip} keeps its bounds in the manager.)
 */
public final class TapeScalar {

    private TapeScalar() {
    }

    /** A float32 scalar in {@code like}'s manager. */
    public static NDArray of(NDArray like, float value) {
        NDManager manager = like.getManager();
        return manager.full(new Shape(), value);
    }
}
