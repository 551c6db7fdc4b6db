package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The type a pretrained model computes in ({@code model.dtype}, {@code --dtype}). Checkpoints in
 * any of these types load (BF16 and FP16 weights are widened exactly); what a device computes in
 * is checked before anything loads, naming the device and the type.
 */
public enum ModelDtype {
    FLOAT32, FLOAT16, BFLOAT16;

    public static ModelDtype parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw VideoRlException.invalidConfiguration("model dtype '" + name + "' is not one of "
                    + Arrays.stream(values()).map(ModelDtype::toString).toList());
        }
    }

    /**
     * Refuses a type {@code device} cannot compute in here. CPUs compute in float32. Half
     * precision on a GPU is not built yet; bfloat16 cannot be: DJL 0.36's PyTorch JNI aborts the
     * JVM on any bfloat16 tensor (QWEN.md).
     */
    public void requireSupportedOn(Device device) {
        if (this == FLOAT32) {
            return;
        }
        String reason = this == BFLOAT16
                ? "DJL 0.36's PyTorch bindings cannot hold bfloat16 tensors (the JVM would abort)"
                : device.isGpu() ? "half precision is not implemented yet" : "a CPU computes in float32";
        throw VideoRlException.invalidConfiguration("model dtype " + this + " on " + device + ": " + reason
                + "; use float32 (bfloat16 and float16 checkpoints load, widened exactly)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
