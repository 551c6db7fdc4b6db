package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A base checkpoint with LoRA adapters merged into its weights ({@link CheckpointRewrite}): every
 * adapted projection's weight replaced by {@code W + (B A) · alpha / r} as PEFT's
 * {@code merge_and_unload} computes it with its float32 adapters (the sum in float32, rounded once
 * to the weight's dtype), every other tensor's bytes copied unchanged.
 */
public final class LoraMerge {

    private LoraMerge() {
    }

    /**
     * Writes the merged checkpoint to {@code out}, which must not exist.
     *
     * @throws ai.videorl.common.error.VideoRlException naming {@code out} when it exists, before anything is written
     */
    public static void write(Path base, LoraAdapters adapters, Path out) throws IOException {
        CheckpointRewrite.write(base, out, "the merged checkpoint", (name, weight) -> {
            NDArray delta = name.endsWith(".weight") ? adapters.delta(name.substring(0, name.length() - ".weight".length())) : null;
            if (delta == null) {
                return null;
            }
            float[] merged = weight.get();
            float[] added = delta.toFloatArray();
            delta.close();
            for (int i = 0; i < merged.length; i++) {
                merged[i] += added[i];
            }
            return merged;
        });
    }
}
