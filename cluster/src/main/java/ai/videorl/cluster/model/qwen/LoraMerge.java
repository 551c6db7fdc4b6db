package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.hf.SafetensorsWriter;
import ai.videorl.cluster.model.hf.TensorEntry;
import ai.videorl.cluster.store.LocalDirectories;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A base checkpoint with LoRA adapters merged into its weights, written as a Hugging Face
 * checkpoint that transformers and vLLM load directly: the same files, shards, tensor names and
 * dtypes as the base, every adapted projection's weight replaced by {@code W + (B A) · alpha / r}
 * as PEFT's {@code merge_and_unload} computes it with its float32 adapters (the sum in float32,
 * rounded once to the weight's dtype), every other tensor's bytes copied unchanged.
 */
public final class LoraMerge {

    private LoraMerge() {
    }

    /**
     * Writes the merged checkpoint to {@code out}, which must not exist: it is written beside it
     * and renamed into place when complete ({@link LocalDirectories#writeNew}).
     *
     * @throws ai.videorl.common.error.VideoRlException naming {@code out} when it exists, before anything is written
     */
    public static void write(Path base, LoraAdapters adapters, Path out) throws IOException {
        LocalDirectories.writeNew(out, "the merged checkpoint", partial -> {
            try (Safetensors weights = Safetensors.open(base)) {
                Map<Path, Map<String, SafetensorsWriter.Tensor>> byFile = new TreeMap<>();
                for (TensorEntry entry : weights.entries().values()) {
                    byFile.computeIfAbsent(entry.file(), file -> new LinkedHashMap<>()).put(entry.name(), merged(entry, weights, adapters));
                }
                for (Map.Entry<Path, Map<String, SafetensorsWriter.Tensor>> file : byFile.entrySet()) {
                    SafetensorsWriter.write(partial.resolve(file.getKey().getFileName()), file.getValue(), weights.metadata());
                }
            }
            try (Stream<Path> files = Files.list(base)) {
                for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.toString().endsWith(".safetensors")).toList()) {
                    Files.copy(file, partial.resolve(file.getFileName()));
                }
            }
        });
    }

    private static SafetensorsWriter.Tensor merged(TensorEntry entry, Safetensors weights, LoraAdapters adapters) {
        String name = Qwen25VlWeights.releasedName(entry.name());
        NDArray delta = name.endsWith(".weight") ? adapters.delta(name.substring(0, name.length() - ".weight".length())) : null;
        if (delta == null) {
            return new SafetensorsWriter.Tensor(entry.type(), entry.shape(), weights.bytes(entry.name()));
        }
        float[] weight = weights.floats(entry.name());
        float[] added = delta.toFloatArray();
        for (int i = 0; i < weight.length; i++) {
            weight[i] += added[i];
        }
        delta.close();
        return SafetensorsWriter.Tensor.ofFloats(entry.type(), entry.shape(), weight);
    }
}
