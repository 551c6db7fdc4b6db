package ai.videorl.cluster.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.eval.EvalCheckpoint;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.model.qwen.QwenPolicy;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The model {@code generate --model M} names: a Hugging Face checkpoint directory (it holds
 * {@code config.json}; local or any Hadoop URI, copied once into the cache) or a videorl run (a
 * run or demo directory, or one of its checkpoints: the tiny policy, or a Qwen2.5-VL that trained every weight).
 */
public final class PromptGenerators {

    /** Remote videos and checkpoints are copied here; videos up to this many bytes are kept. */
    private static final long VIDEO_CACHE_BYTES = 1L << 30;

    private PromptGenerators() {
    }

    /**
     * @param adapter LoRA adapters for a Hugging Face checkpoint, or null: a PEFT adapter directory,
     *        or a videorl run (or one of its checkpoints) that trained adapters on that checkpoint
     */
    public static PromptGenerator open(String model, String adapter, ModelDtype dtype, Path cache, Configuration hadoop)
            throws IOException {
        LocalVideoFiles videos = new LocalVideoFiles(cache.resolve("videos"), VIDEO_CACHE_BYTES, hadoop);
        if (RunFiles.exists(RunFiles.child(model, "config.json"), hadoop)) {
            Path base = CheckpointDirectories.local(model, cache.resolve("models"), hadoop);
            return new QwenGenerator(base, QwenPolicy.load(base, Device.cpu(), dtype, adapters(adapter, base, cache, hadoop)), videos);
        }
        if (adapter != null) {
            throw VideoRlException.invalidConfiguration("--adapter " + adapter + ": adapters are for a Hugging Face checkpoint; "
                    + model + " is a videorl run (its policy has no adapters)");
        }
        if (dtype != ModelDtype.FLOAT32) {
            throw VideoRlException.invalidConfiguration("--dtype " + dtype + ": a videorl run's policy computes in float32");
        }
        EvalCheckpoint run = EvalCheckpoint.resolve(model, List.of(), hadoop);
        if (run.loaded().weights().spec() instanceof FullModelSpec full) {
            return trained(full, run.loaded().weights(), cache, hadoop, videos);
        }
        return new TinyPolicyGenerator(run, videos);
    }

    /** A run's fully fine-tuned Qwen2.5-VL: its base checkpoint (the one it trained from) holding the trained weights. */
    private static PromptGenerator trained(FullModelSpec spec, PolicyWeights weights, Path cache, Configuration hadoop,
                                           LocalVideoFiles videos) {
        Path base = CheckpointDirectories.local(spec.basePath(), cache.resolve("models"), hadoop);
        spec.requireBaseAt(base);
        return new QwenGenerator(base, QwenPolicy.trained(base, Device.cpu(), weights.trainable()), videos);
    }

    /** What makes the adapters {@code adapter} names over {@code base}, or null for none. */
    private static BiFunction<Qwen25VlConfig, NDManager, LoraAdapters> adapters(String adapter, Path base, Path cache, Configuration hadoop)
            throws IOException {
        if (adapter == null) {
            return null;
        }
        if (RunFiles.exists(RunFiles.child(adapter, LoraAdapters.CONFIG_FILE), hadoop)) {
            Path directory = CheckpointDirectories.local(adapter, cache.resolve("adapters"), hadoop);
            return (config, manager) -> LoraAdapters.readPeft(directory, config, manager);
        }
        PolicyWeights weights = EvalCheckpoint.resolve(adapter, List.of(), hadoop).loaded().weights();
        return (config, manager) -> LoraAdapters.ofCheckpoint(weights, base, config, manager);
    }
}
