package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.hf.SafetensorsWriter;
import ai.videorl.cluster.model.hf.TensorEntry;
import ai.videorl.cluster.store.LocalDirectories;

import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.common.error.VideoRlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A base checkpoint with new values for some of its weights, written as a Hugging Face checkpoint
 * that transformers and vLLM load directly: the same files, shards, tensor names and dtypes as the
 * base (a new value rounded once to its tensor's dtype), every other tensor's bytes and every other
 * file (configuration, tokenizer, templates) copied unchanged.
 */
public final class CheckpointRewrite {

    /** What a base tensor becomes. */
    @FunctionalInterface
    public interface NewValues {

        /**
         * @param name the tensor's name in the released layout ({@code model.layers.*}, {@code visual.*})
         * @param base reads the base's values, widened to float32
         * @return the new values, or null to keep the base's bytes
         */
        float[] of(String name, Supplier<float[]> base);
    }

    private CheckpointRewrite() {
    }

    /**
     * Writes {@code base} with every weight replaced by the one of that name in {@code trained} (a
     * fully fine-tuned model's, in the released layout) to {@code out}, which must not exist.
     *
     * @throws ai.videorl.common.error.VideoRlException when a tensor of either has no counterpart of the same shape in the other
     */
    public static void writeTrained(Path base, TrainableWeights trained, Path out) throws IOException {
        Map<String, float[]> values = new HashMap<>();
        Map<String, long[]> shapes = new TreeMap<>();
        List<float[]> tensors = trained.tensors();
        for (int t = 0; t < trained.names().size(); t++) {
            values.put(trained.names().get(t), tensors.get(t));
            shapes.put(trained.names().get(t), trained.shapes().get(t));
        }
        Map<String, long[]> baseShapes = new TreeMap<>();
        try (Safetensors weights = Safetensors.open(base)) {
            weights.entries().values().forEach(entry -> baseShapes.put(Qwen25VlWeights.releasedName(entry.name()), entry.shape()));
        }
        if (!shapes.containsKey(Qwen25VlWeights.HEAD) && baseShapes.containsKey(Qwen25VlWeights.HEAD)) {
            // A tied head (the embedding) that the base saved anyway.
            shapes.put(Qwen25VlWeights.HEAD, shapes.get(Qwen25VlWeights.EMBEDDING));
            values.put(Qwen25VlWeights.HEAD, values.get(Qwen25VlWeights.EMBEDDING));
        }
        if (!baseShapes.keySet().equals(shapes.keySet())
                || baseShapes.entrySet().stream().anyMatch(entry -> !Arrays.equals(entry.getValue(), shapes.get(entry.getKey())))) {
            throw VideoRlException.invalidInput("the trained weights do not fit " + base + ": " + differences(baseShapes, shapes));
        }
        write(base, out, "the trained checkpoint", (name, weight) -> values.get(name));
    }

    private static String differences(Map<String, long[]> base, Map<String, long[]> trained) {
        List<String> found = new ArrayList<>();
        base.forEach((name, shape) -> {
            if (!trained.containsKey(name)) {
                found.add("no trained " + name);
            } else if (!Arrays.equals(shape, trained.get(name))) {
                found.add(name + " is " + Arrays.toString(trained.get(name)) + " trained, " + Arrays.toString(shape) + " in the base");
            }
        });
        trained.keySet().stream().filter(name -> !base.containsKey(name)).forEach(name -> found.add(name + " is not in the base"));
        return String.join("; ", found.subList(0, Math.min(5, found.size()))) + (found.size() > 5 ? " …" : "");
    }

    /**
     * Writes the checkpoint to {@code out}, which must not exist: it is written beside it and
     * renamed into place when complete ({@link LocalDirectories#writeNew}); {@code what} names it in errors.
     */
    public static void write(Path base, Path out, String what, NewValues newValues) throws IOException {
        LocalDirectories.writeNew(out, what, partial -> {
            try (Safetensors weights = Safetensors.open(base)) {
                Map<Path, Map<String, SafetensorsWriter.Tensor>> byFile = new TreeMap<>();
                for (TensorEntry entry : weights.entries().values()) {
                    float[] values = newValues.of(Qwen25VlWeights.releasedName(entry.name()), () -> weights.floats(entry.name()));
                    byFile.computeIfAbsent(entry.file(), file -> new LinkedHashMap<>()).put(entry.name(), values == null
                            ? new SafetensorsWriter.Tensor(entry.type(), entry.shape(), weights.bytes(entry.name()))
                            : SafetensorsWriter.Tensor.ofFloats(entry.type(), entry.shape(), values));
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
}
