package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.cluster.model.hf.SafetensorsWriter;
import ai.videorl.cluster.model.hf.TensorType;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The weights of a new Qwen2.5-VL, to train from scratch, drawn as transformers' {@code _init_weights}
 * draws a model it builds from a configuration — every matrix, convolution and embedding from
 * N(0, 0.02²) (its default {@code initializer_range}), biases zero, norm weights one; unlike it, the
 * padding token's embedding row is drawn too, not zeroed — and saved as {@code model.safetensors} in
 * float32, the released layout.
 */
public final class FreshWeights {

    /** transformers' default {@code initializer_range} for Qwen2.5-VL. */
    static final double INITIALIZER_RANGE = 0.02;

    private FreshWeights() {
    }

    /** Writes {@code directory/model.safetensors} for the {@code config.json} the directory holds, drawn from {@code seed}. */
    public static void write(Path directory, long seed) {
        Qwen25VlConfig config = Qwen25VlConfig.read(directory.resolve("config.json"));
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : Qwen25VlWeights.expectedShapes(config).entrySet()) {
            String name = entry.getKey();
            float[] values = new float[Math.toIntExact(TrainableWeights.elements(entry.getValue()))];
            if (entry.getValue().length == 1 && !name.endsWith(".bias")) {
                Arrays.fill(values, 1f);
            } else if (entry.getValue().length > 1) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * INITIALIZER_RANGE);
                }
            }
            tensors.put(name, SafetensorsWriter.Tensor.ofFloats(TensorType.F32, entry.getValue(), values));
        }
        SafetensorsWriter.write(directory.resolve("model.safetensors"), tensors, SafetensorsWriter.PYTORCH_METADATA);
    }
}
