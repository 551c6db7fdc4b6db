package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.hf.TensorEntry;
import ai.videorl.common.error.VideoRlException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Qwen2.5-VL checkpoint's tensors, float32 in one manager, by their names in the released
 * checkpoints' layout ({@code model.layers.*}, {@code visual.*}, {@code lm_head.weight}). Newer
 * saves name the same tensors {@code model.language_model.*} and {@code model.visual.*}; both read
 * the same. Every tensor the configuration implies must be present with its shape, and nothing
 * else may be (a tied head may still be saved): a checkpoint of another shape fails here, naming
 * the tensor, not in the middle of a forward pass.
 */
public final class Qwen25VlWeights {

    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String HEAD = "lm_head.weight";

    private final Map<String, NDArray> tensors;
    private volatile LoraAdapters adapters;

    private Qwen25VlWeights(Map<String, NDArray> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Reads every tensor of {@code checkpoint} into {@code manager}, widened to float32. */
    public static Qwen25VlWeights read(Safetensors checkpoint, Path directory, Qwen25VlConfig config, NDManager manager) {
        Map<String, long[]> expected = expectedShapes(config);
        Map<String, String> fileNames = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String fileName : checkpoint.entries().keySet()) {
            String name = releasedName(fileName);
            if (expected.containsKey(name)) {
                if (fileNames.put(name, fileName) != null) {
                    throw VideoRlException.invalidConfiguration(directory + ": tensor " + name + " is saved under two names");
                }
            } else if (!(name.equals(HEAD) && config.text().tiedEmbeddings())) {
                unknown.add(fileName);
            }
        }
        if (!unknown.isEmpty()) {
            throw VideoRlException.invalidConfiguration(directory + ": " + unknown.size() + " tensors that a Qwen2.5-VL of "
                    + "this config.json does not have, e.g. " + unknown.subList(0, Math.min(5, unknown.size())));
        }
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(fileNames.keySet());
        if (!missing.isEmpty()) {
            throw VideoRlException.invalidConfiguration(directory + ": " + missing.size() + " tensors missing, e.g. "
                    + missing.stream().limit(5).toList());
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> entry : expected.entrySet()) {
            String fileName = fileNames.get(entry.getKey());
            TensorEntry saved = checkpoint.entry(fileName);
            if (!Arrays.equals(saved.shape(), entry.getValue())) {
                throw VideoRlException.invalidConfiguration(directory + ": tensor " + fileName + " has shape "
                        + Arrays.toString(saved.shape()) + ", config.json implies " + Arrays.toString(entry.getValue()));
            }
            NDArray tensor = checkpoint.array(fileName, manager);
            tensor.setName(entry.getKey());
            tensors.put(entry.getKey(), tensor);
        }
        return new Qwen25VlWeights(tensors);
    }

    /** A name in the released layout, whichever layout {@code name} is in. */
    static String releasedName(String name) {
        if (name.startsWith("model.language_model.")) {
            return "model." + name.substring("model.language_model.".length());
        }
        if (name.startsWith("model.visual.")) {
            return name.substring("model.".length());
        }
        return name;
    }

    /**
     * The projection of {@code module} ({@code model.layers.0.self_attn.q_proj}): x W^T, plus its
     * bias when it has one, plus the LoRA term when an attached adapter names the module.
     */
    NDArray project(NDArray x, String module) {
        NDArray y = QwenOps.linear(x, get(module + ".weight"), tensors.get(module + ".bias"));
        return adapters == null ? y : adapters.adapt(module, x, y);
    }

    /**
     * Attaches LoRA adapters (null detaches them): from now on every projection they name is
     * adapted. Their tensors stay in the manager they were made in.
     */
    public void attach(LoraAdapters adapters) {
        this.adapters = adapters;
    }

    /** The attached adapters, or null. */
    public LoraAdapters adapters() {
        return adapters;
    }

    public NDArray get(String name) {
        NDArray tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return tensor;
    }

    /** The output layer: the embedding when tied. */
    public NDArray head() {
        return tensors.containsKey(HEAD) ? tensors.get(HEAD) : tensors.get(EMBEDDING);
    }

    /** Every tensor by name, in a fixed order. */
    public Map<String, NDArray> all() {
        return tensors;
    }

    /** The shape of every tensor a checkpoint of {@code config} holds, by released name, in a fixed order. */
    static Map<String, long[]> expectedShapes(Qwen25VlConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Qwen25VlConfig.Vision vision = config.vision();
        long width = vision.hiddenSize();
        shapes.put("visual.patch_embed.proj.weight", new long[] {width, vision.inChannels(), vision.temporalPatchSize(),
            vision.patchSize(), vision.patchSize()});
        for (int block = 0; block < vision.depth(); block++) {
            String prefix = "visual.blocks." + block + ".";
            shapes.put(prefix + "norm1.weight", new long[] {width});
            shapes.put(prefix + "norm2.weight", new long[] {width});
            shapes.put(prefix + "attn.qkv.weight", new long[] {3 * width, width});
            shapes.put(prefix + "attn.qkv.bias", new long[] {3 * width});
            shapes.put(prefix + "attn.proj.weight", new long[] {width, width});
            shapes.put(prefix + "attn.proj.bias", new long[] {width});
            putMlp(shapes, prefix + "mlp.", width, vision.intermediateSize(), true);
        }
        long merged = width * vision.spatialMergeSize() * vision.spatialMergeSize();
        shapes.put("visual.merger.ln_q.weight", new long[] {width});
        shapes.put("visual.merger.mlp.0.weight", new long[] {merged, merged});
        shapes.put("visual.merger.mlp.0.bias", new long[] {merged});
        shapes.put("visual.merger.mlp.2.weight", new long[] {vision.outHiddenSize(), merged});
        shapes.put("visual.merger.mlp.2.bias", new long[] {vision.outHiddenSize()});

        Qwen25VlConfig.Text text = config.text();
        long hidden = text.hiddenSize();
        long keyValueWidth = (long) text.keyValueHeads() * text.headDim();
        shapes.put(EMBEDDING, new long[] {text.vocabularySize(), hidden});
        for (int layer = 0; layer < text.layers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            shapes.put(prefix + "input_layernorm.weight", new long[] {hidden});
            shapes.put(prefix + "post_attention_layernorm.weight", new long[] {hidden});
            shapes.put(prefix + "self_attn.q_proj.weight", new long[] {hidden, hidden});
            shapes.put(prefix + "self_attn.q_proj.bias", new long[] {hidden});
            shapes.put(prefix + "self_attn.k_proj.weight", new long[] {keyValueWidth, hidden});
            shapes.put(prefix + "self_attn.k_proj.bias", new long[] {keyValueWidth});
            shapes.put(prefix + "self_attn.v_proj.weight", new long[] {keyValueWidth, hidden});
            shapes.put(prefix + "self_attn.v_proj.bias", new long[] {keyValueWidth});
            shapes.put(prefix + "self_attn.o_proj.weight", new long[] {hidden, hidden});
            putMlp(shapes, prefix + "mlp.", hidden, text.intermediateSize(), false);
        }
        shapes.put("model.norm.weight", new long[] {hidden});
        if (!text.tiedEmbeddings()) {
            shapes.put(HEAD, new long[] {text.vocabularySize(), hidden});
        }
        return shapes;
    }

    private static void putMlp(Map<String, long[]> shapes, String prefix, long width, long inner, boolean bias) {
        shapes.put(prefix + "gate_proj.weight", new long[] {inner, width});
        shapes.put(prefix + "up_proj.weight", new long[] {inner, width});
        shapes.put(prefix + "down_proj.weight", new long[] {width, inner});
        if (bias) {
            shapes.put(prefix + "gate_proj.bias", new long[] {inner});
            shapes.put(prefix + "up_proj.bias", new long[] {inner});
            shapes.put(prefix + "down_proj.bias", new long[] {width});
        }
    }
}
