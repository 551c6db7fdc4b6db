package ai.videorl.cluster.generate;

import ai.videorl.cluster.eval.EvalCheckpoint;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The model {@code generate --model M} names: a Hugging Face checkpoint directory (it holds
 * {@code config.json}; local or any Hadoop URI, copied once into the cache) or a videorl run (a
 * run or demo directory, or one of its checkpoints: the tiny policy).
 */
public final class PromptGenerators {

    /** Remote videos and checkpoints are copied here; videos up to this many bytes are kept. */
    private static final long VIDEO_CACHE_BYTES = 1L << 30;

    private PromptGenerators() {
    }

    /** @param adapter a PEFT LoRA adapter directory for a Hugging Face checkpoint, or null */
    public static PromptGenerator open(String model, String adapter, ModelDtype dtype, Path cache, Configuration hadoop)
            throws IOException {
        LocalVideoFiles videos = new LocalVideoFiles(cache.resolve("videos"), VIDEO_CACHE_BYTES, hadoop);
        if (RunFiles.exists(RunFiles.child(model, "config.json"), hadoop)) {
            Path adapterDirectory = adapter == null ? null : CheckpointDirectories.local(adapter, cache.resolve("adapters"), hadoop);
            return new QwenGenerator(CheckpointDirectories.local(model, cache.resolve("models"), hadoop), adapterDirectory, dtype,
                    videos);
        }
        if (adapter != null) {
            throw VideoRlException.invalidConfiguration("--adapter " + adapter + ": adapters are for a Hugging Face checkpoint; "
                    + model + " is a videorl run (its tiny policy has no adapters)");
        }
        if (dtype != ModelDtype.FLOAT32) {
            throw VideoRlException.invalidConfiguration("--dtype " + dtype + ": the tiny policy computes in float32");
        }
        return new TinyPolicyGenerator(EvalCheckpoint.resolve(model, List.of(), hadoop), videos);
    }
}
