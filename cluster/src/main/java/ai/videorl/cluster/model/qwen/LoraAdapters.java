package ai.videorl.cluster.model.qwen;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.TapeScalar;
import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.hf.SafetensorsWriter;
import ai.videorl.cluster.model.hf.TensorEntry;
import ai.videorl.cluster.model.hf.TensorType;
import ai.videorl.cluster.store.LocalDirectories;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * LoRA adapters on a Qwen2.5-VL's linear projections, as PEFT computes them: a projection
 * {@code y = x W^T + b} of an adapted module becomes {@code y + (x A^T) B^T · alpha / r}, with A
 * [r, in] and B [out, r]. Modules are named in the released layout ({@code model.layers.0.self_attn.q_proj},
 * {@code visual.blocks.0.attn.qkv}); the adapter file names tensors as PEFT saves them for
 * transformers 4.57's module tree ({@code base_model.model.model.language_model.layers.0.self_attn.q_proj.lora_A.weight}).
 * The tensors live in the manager they were made in, float32.
 */
public final class LoraAdapters {

    /** PEFT's adapter files. */
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PEFT_PREFIX = "base_model.model.";

    /** One adapted module's matrices. */
    private record Adapter(NDArray a, NDArray b) {
    }

    private final int rank;
    private final double alpha;
    private final double dropout;
    private final Map<String, Adapter> adapters;
    /** Whether dropout applies: only inside a training pass ({@link #training}). */
    private boolean training;

    private LoraAdapters(int rank, double alpha, double dropout, Map<String, Adapter> adapters) {
        if (rank < 1) {
            throw VideoRlException.invalidConfiguration("a LoRA rank must be at least 1, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw VideoRlException.invalidConfiguration("a LoRA alpha must be positive, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw VideoRlException.invalidConfiguration("a LoRA dropout must be in [0, 1), got " + dropout);
        }
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = dropout;
        this.adapters = adapters;
    }

    /**
     * Fresh adapters, as PEFT initialises them: A uniform in ±1/√in (Kaiming-uniform with a = √5)
     * drawn from {@code seed}, B zero, so the adapted model computes what the base does.
     *
     * @param modules projections to adapt, released names; each must be a linear projection of the base
     */
    public static LoraAdapters fresh(Qwen25VlConfig base, List<String> modules, int rank, double alpha, long seed, NDManager manager) {
        if (modules.isEmpty()) {
            throw VideoRlException.invalidConfiguration("LoRA needs at least one target module");
        }
        Map<String, long[]> shapes = Qwen25VlWeights.expectedShapes(base);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Adapter> adapters = new TreeMap<>();
        for (String module : modules) {
            long[] shape = projectionShape(shapes, module, "LoRA target");
            int in = Math.toIntExact(shape[1]);
            float bound = (float) (1 / Math.sqrt(in));
            float[] a = new float[rank * in];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            adapters.put(module, new Adapter(manager.create(a, new Shape(rank, in)), manager.zeros(new Shape(shape[0], rank))));
        }
        return new LoraAdapters(rank, alpha, 0, adapters);
    }

    /**
     * The adapter PEFT saved in {@code directory} ({@value #CONFIG_FILE}, {@value #WEIGHTS_FILE}),
     * checked against a base of configuration {@code base}: every tensor names a linear projection
     * of the base, with its shape. The base's weights need not be loaded.
     *
     * @throws VideoRlException naming the file and the field or tensor that is wrong or not supported
     */
    public static LoraAdapters readPeft(Path directory, Qwen25VlConfig base, NDManager manager) {
        Path configFile = directory.resolve(CONFIG_FILE);
        JsonNode config;
        try {
            config = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration(configFile + ": not a readable PEFT adapter config: " + e.getMessage());
        }
        requireValue(configFile, config, "peft_type", "LORA");
        requireAbsentOrDefault(configFile, config);
        int rank = config.path("r").asInt(0);
        double alpha = config.path("lora_alpha").asDouble(Double.NaN);
        if (rank < 1 || !(alpha > 0)) {
            throw VideoRlException.invalidInput(configFile + ": r must be a positive integer and lora_alpha positive, got r "
                    + config.get("r") + " and lora_alpha " + config.get("lora_alpha"));
        }
        double dropout = config.path("lora_dropout").asDouble(0);
        Path weightsFile = directory.resolve(WEIGHTS_FILE);
        try (Safetensors file = Safetensors.open(weightsFile)) {
            return assemble(base, rank, alpha, dropout, file.entries().values().stream().map(entry -> new Matrix(entry.name(), entry.shape(),
                    () -> file.array(entry.name(), manager).toType(DataType.FLOAT32, false))).toList(), weightsFile.toString());
        }
    }

    /**
     * The adapters {@code weights} hold (a policy's trainable weights, PEFT's tensor names) with
     * {@code spec}'s rank, alpha and dropout, in {@code manager}, checked against a base of
     * configuration {@code base}.
     */
    public static LoraAdapters of(Qwen25VlConfig base, AdapterSpec spec, TrainableWeights weights, NDManager manager) {
        List<Matrix> matrices = new ArrayList<>();
        List<float[]> values = weights.tensors();
        for (int t = 0; t < weights.names().size(); t++) {
            long[] shape = weights.shapes().get(t);
            float[] tensor = values.get(t);
            matrices.add(new Matrix(weights.names().get(t), shape, () -> manager.create(tensor, new Shape(shape))));
        }
        return assemble(base, spec.rank(), spec.alpha(), spec.dropout(), matrices, "adapter weights v" + weights.version());
    }

    /**
     * The adapters a training checkpoint's {@code weights} hold, over the base checkpoint in
     * {@code base}, which must be the one they were trained on.
     *
     * @throws VideoRlException when the weights are not adapters, or {@code base} is another checkpoint
     */
    public static LoraAdapters ofCheckpoint(PolicyWeights weights, Path base, Qwen25VlConfig config, NDManager manager) {
        if (!(weights.spec() instanceof AdapterSpec spec)) {
            throw VideoRlException.invalidConfiguration("the checkpoint holds a " + weights.spec().architecture()
                    + " policy's weights, not LoRA adapters of a pretrained checkpoint");
        }
        spec.requireBaseAt(base);
        return of(config, spec, weights.trainable(), manager);
    }

    /** A LoRA matrix by its PEFT name, read only once its name and shape are checked. */
    private record Matrix(String name, long[] shape, Supplier<NDArray> values) {
    }

    private static LoraAdapters assemble(Qwen25VlConfig base, int rank, double alpha, double dropout, List<Matrix> matrices,
                                         String source) {
        Map<String, long[]> shapes = Qwen25VlWeights.expectedShapes(base);
        Map<String, NDArray[]> pairs = new TreeMap<>();
        for (Matrix matrix : matrices) {
            String name = matrix.name();
            boolean isA = name.endsWith(".lora_A.weight");
            if (!name.startsWith(PEFT_PREFIX) || !isA && !name.endsWith(".lora_B.weight")) {
                throw VideoRlException.invalidInput(source + ": tensor " + name + " is not a LoRA matrix of a "
                        + "Qwen2.5-VL projection (" + PEFT_PREFIX + "<module>.lora_A.weight or .lora_B.weight)");
            }
            String module = Qwen25VlWeights.releasedName(name.substring(PEFT_PREFIX.length(), name.length() - ".lora_A.weight".length()));
            long[] projection = projectionShape(shapes, module, source + ": tensor " + name);
            long[] expected = isA ? new long[] {rank, projection[1]} : new long[] {projection[0], rank};
            if (!Arrays.equals(expected, matrix.shape())) {
                throw VideoRlException.invalidInput(source + ": tensor " + name + " has shape " + Arrays.toString(matrix.shape())
                        + ", but rank " + rank + " on this base needs " + Arrays.toString(expected) + " (an adapter for another base?)");
            }
            pairs.computeIfAbsent(module, m -> new NDArray[2])[isA ? 0 : 1] = matrix.values().get();
        }
        Map<String, Adapter> adapters = new TreeMap<>();
        pairs.forEach((module, pair) -> {
            if (pair[0] == null || pair[1] == null) {
                throw VideoRlException.invalidInput(source + ": module " + module + " has lora_" + (pair[0] == null ? "B" : "A")
                        + " but no lora_" + (pair[0] == null ? "A" : "B"));
            }
            adapters.put(module, new Adapter(pair[0], pair[1]));
        });
        if (adapters.isEmpty()) {
            throw VideoRlException.invalidInput(source + ": holds no LoRA tensors");
        }
        return new LoraAdapters(rank, alpha, dropout, adapters);
    }

    /**
     * The modules {@code targets} name on a base of configuration {@code base}, released names: a
     * language-model projection ({@code q_proj}) in every layer; {@code visual.} and a vision
     * projection ({@code visual.qkv}, {@code visual.merger.mlp.0}) in every block that has it.
     *
     * @throws VideoRlException naming a target that names no linear projection, and the ones that do
     */
    public static List<String> targetModules(Qwen25VlConfig base, List<String> targets) {
        Map<String, long[]> shapes = Qwen25VlWeights.expectedShapes(base);
        List<String> projections = shapes.keySet().stream().filter(name -> name.endsWith(".weight"))
                .map(name -> name.substring(0, name.length() - ".weight".length()))
                .filter(module -> isProjection(shapes, module)).toList();
        List<String> modules = new ArrayList<>();
        for (String target : targets) {
            boolean vision = target.startsWith("visual.");
            String suffix = "." + (vision ? target.substring("visual.".length()) : target);
            List<String> matched = projections.stream().filter(module -> module.startsWith("visual.") == vision)
                    .filter(module -> module.endsWith(suffix)).toList();
            if (matched.isEmpty()) {
                TreeSet<String> known = new TreeSet<>();
                projections.forEach(module -> known.add(module.startsWith("visual.")
                        ? "visual." + module.replaceFirst("^visual\\.(blocks\\.\\d+\\.)?", "").replaceFirst("^(attn|mlp)\\.", "")
                        : module.substring(module.lastIndexOf('.') + 1)));
                throw VideoRlException.invalidConfiguration("model.lora.targets: '" + target + "' names no linear projection of this "
                        + "Qwen2.5-VL; these do: " + known);
            }
            matched.stream().filter(module -> !modules.contains(module)).forEach(modules::add);
        }
        return modules;
    }

    /**
     * Writes the adapters as PEFT saves them into {@code directory}, which must not exist (it is
     * written beside it and renamed into place): {@value #WEIGHTS_FILE} byte for byte as
     * {@code save_pretrained} writes the same tensors, and a {@value #CONFIG_FILE} that
     * {@code PeftModel.from_pretrained(base, directory)} reads, its targets the full module names.
     *
     * @param base what the adapter was trained on ({@code base_model_name_or_path})
     */
    public void writePeft(Path directory, String base) throws IOException {
        LocalDirectories.writeNew(directory, "the adapter directory", partial -> writePeftFiles(partial, base));
    }

    private void writePeftFiles(Path directory, String base) throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        adapters.forEach((module, adapter) -> {
            tensors.put(peftName(module, "lora_A"), floats(adapter.a()));
            tensors.put(peftName(module, "lora_B"), floats(adapter.b()));
        });
        SafetensorsWriter.write(directory.resolve(WEIGHTS_FILE), tensors, SafetensorsWriter.PYTORCH_METADATA);
        ObjectNode config = JSON.createObjectNode();
        config.put("base_model_name_or_path", base);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("inference_mode", true);
        config.put("init_lora_weights", true);
        if (alpha == Math.rint(alpha)) {
            config.put("lora_alpha", (long) alpha);
        } else {
            config.put("lora_alpha", alpha);
        }
        config.put("lora_dropout", dropout);
        config.putNull("modules_to_save");
        config.put("peft_type", "LORA");
        config.put("r", rank);
        config.putArray("target_modules").addAll(adapters.keySet().stream().map(LoraAdapters::runtimeName)
                .map(config::textNode).toList());
        config.putNull("task_type");
        config.put("use_dora", false);
        config.put("use_rslora", false);
        JSON.writeValue(directory.resolve(CONFIG_FILE).toFile(), config);
    }

    /**
     * Runs {@code pass} with dropout on the adapters' inputs, its masks drawn from PyTorch's
     * generator seeded with {@code seed}: the same pass with the same seed drops the same elements.
     * Callers hold the JVM's gradient recording ({@link ai.videorl.cluster.model.TrainableGradients}),
     * so no other pass draws from the generator meanwhile. Without dropout, just {@code pass}.
     */
    public <T> T training(long seed, Supplier<T> pass) {
        if (dropout == 0) {
            return pass.get();
        }
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        training = true;
        try {
            return pass.get();
        } finally {
            training = false;
        }
    }

    /**
     * y + (dropout(x) A^T) B^T · alpha / r when {@code module} is adapted, else y; dropout (each
     * element zeroed with probability p, the rest scaled by 1 / (1 − p), as {@code nn.Dropout}
     * does) only in a training pass.
     */
    NDArray adapt(String module, NDArray x, NDArray y) {
        Adapter adapter = adapters.get(module);
        if (adapter == null) {
            return y;
        }
        NDArray input = x;
        if (training) {
            NDArray kept = x.getManager().randomUniform(0f, 1f, x.getShape()).gte((float) dropout).toType(DataType.FLOAT32, false);
            input = x.mul(kept.mul((float) (1 / (1 - dropout))));
        }
        NDArray low = QwenOps.linear(QwenOps.linear(input, adapter.a(), null), adapter.b(), null);
        return y.add(low.mul(TapeScalar.of(low, (float) (alpha / rank))));
    }

    /** (B A) · alpha / r [out, in] of an adapted module, float32: what merging adds to its weight; null when not adapted. */
    NDArray delta(String module) {
        Adapter adapter = adapters.get(module);
        return adapter == null ? null : adapter.b().dot(adapter.a()).mul((float) (alpha / rank));
    }

    /** The adapted modules, released names, in order. */
    public List<String> modules() {
        return List.copyOf(adapters.keySet());
    }

    /** Every tensor's name in the adapter file, in {@link #tensors()}' order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        adapters.keySet().forEach(module -> {
            names.add(peftName(module, "lora_A"));
            names.add(peftName(module, "lora_B"));
        });
        return names;
    }

    /** The trainable tensors, A then B of each module in order. */
    public List<NDArray> tensors() {
        List<NDArray> tensors = new ArrayList<>();
        adapters.values().forEach(adapter -> {
            tensors.add(adapter.a());
            tensors.add(adapter.b());
        });
        return tensors;
    }

    /** The adapters as a policy's trainable weights, labelled {@code version}. */
    public TrainableWeights trainableWeights(long version) {
        return TrainableWeights.of(version, names(), tensors());
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    public double dropout() {
        return dropout;
    }

    /** The [out, in] shape of {@code module}'s weight among the base's {@code shapes}, refusing what is not a projection. */
    private static long[] projectionShape(Map<String, long[]> shapes, String module, String what) {
        if (!isProjection(shapes, module)) {
            throw VideoRlException.invalidConfiguration(what + ": " + module + " is not a linear projection of this Qwen2.5-VL");
        }
        return shapes.get(module + ".weight");
    }

    private static boolean isProjection(Map<String, long[]> shapes, String module) {
        long[] weight = shapes.get(module + ".weight");
        return weight != null && weight.length == 2 && !module.endsWith("embed_tokens") && !module.equals("lm_head")
                && !module.startsWith("visual.patch_embed");
    }

    /** The module's name in transformers 4.57's module tree, which PEFT's names follow. */
    private static String runtimeName(String module) {
        if (module.startsWith("visual.")) {
            return "model." + module;
        }
        if (module.startsWith("model.")) {
            return "model.language_model." + module.substring("model.".length());
        }
        return module;
    }

    private static String peftName(String module, String matrix) {
        return PEFT_PREFIX + runtimeName(module) + "." + matrix + ".weight";
    }

    private static SafetensorsWriter.Tensor floats(NDArray tensor) {
        return SafetensorsWriter.Tensor.ofFloats(TensorType.F32, tensor.getShape().getShape(), tensor.toFloatArray());
    }

    private static void requireValue(Path file, JsonNode config, String key, String value) {
        if (!value.equals(config.path(key).asText(null))) {
            throw VideoRlException.invalidInput(file + ": " + key + " is " + config.get(key) + "; only " + value + " adapters load");
        }
    }

    /** What would change the computation beyond plain LoRA: refused, naming the key, rather than ignored. */
    private static void requireAbsentOrDefault(Path file, JsonNode config) {
        Map<String, String> plain = Map.of("use_dora", "false", "use_rslora", "false", "fan_in_fan_out", "false", "lora_bias", "false",
                "bias", "none");
        plain.forEach((key, value) -> {
            JsonNode node = config.get(key);
            if (node != null && !node.isNull() && !node.asText().equals(value)) {
                throw VideoRlException.invalidInput(file + ": " + key + " " + node + " is not supported (plain LoRA only)");
            }
        });
        for (String key : new String[] {"modules_to_save", "layers_to_transform", "layer_replication"}) {
            JsonNode node = config.get(key);
            if (node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty())) {
                throw VideoRlException.invalidInput(file + ": " + key + " " + node + " is not supported (plain LoRA only)");
            }
        }
        for (String key : new String[] {"rank_pattern", "alpha_pattern"}) {
            JsonNode node = config.get(key);
            if (node != null && !node.isNull() && !node.isEmpty()) {
                throw VideoRlException.invalidInput(file + ": " + key + " " + node + " is not supported (one rank and alpha for every module)");
            }
        }
    }
}
