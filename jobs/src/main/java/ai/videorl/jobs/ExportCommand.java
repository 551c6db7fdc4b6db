package ai.videorl.jobs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.eval.EvalCheckpoint;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.PretrainedSpec;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.CheckpointRewrite;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.LoraMerge;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.store.LocalDirectories;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code export}: LoRA adapters (a training run's or a PEFT directory's) as a PEFT adapter
 * directory, or merged into their base as a Hugging Face checkpoint.
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the LoRA adapters of a Qwen2.5-VL checkpoint for serving: those a run trained (--checkpoint) or a PEFT",
            "adapter directory (--adapter), as a PEFT adapter directory checked against the base, or with --merged as a full",
            "Hugging Face checkpoint (the base with the adapters merged, its dtype, shards, config, tokenizer and templates",
            "kept) that transformers and vLLM load directly. A run that trained every weight (model.finetune full) exports",
            "with --merged only, as the base's files with its weights."})
final class ExportCommand implements Callable<Integer> {

    /** Where the adapters come from: a run, or a PEFT directory. */
    static final class Source {
        @Option(names = "--checkpoint", required = true, paramLabel = "C", description = "a run that trained a Qwen2.5-VL (sft or "
                + "train with model.architecture qwen2_5_vl: adapters, or every weight), or one of its checkpoints/iteration-N "
                + "directories: a path or a Hadoop URI")
        String checkpoint;

        @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "a PEFT LoRA adapter directory: a path or a "
                + "Hadoop URI")
        String adapter;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    @Option(names = "--model", paramLabel = "DIR", description = "the base Qwen2.5-VL checkpoint: a path or a Hadoop URI (with "
            + "--checkpoint, default: the model.path the run trained on)")
    private String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "a local directory that does not exist yet")
    private Path out;

    @Option(names = "--merged", description = "write the base with the adapters merged, not the adapters (a run that trained every "
            + "weight: the base's files with its weights)")
    private boolean merged;

    @Option(names = "--cache", paramLabel = "DIR", description = "where remote checkpoints are copied (default: ~/.cache/videorl)")
    private Path cache;

    @Override
    public Integer call() throws IOException {
        LocalDirectories.requireAbsent(out, "--out");
        Path cacheDirectory = CacheDirectory.orDefault(cache);
        Configuration hadoop = new Configuration();
        PolicyWeights trained = source.checkpoint == null ? null
                : EvalCheckpoint.resolve(source.checkpoint, List.of(), hadoop).loaded().weights();
        String baseLocation = model != null ? model : trained != null && trained.spec() instanceof PretrainedSpec spec ? spec.basePath() : null;
        if (baseLocation == null) {
            throw VideoRlException.invalidConfiguration(source.checkpoint == null ? "--adapter needs --model, the base it adapts"
                    : "--checkpoint " + source.checkpoint + " holds a " + trained.spec().architecture()
                    + " policy's weights, not those of a pretrained checkpoint");
        }
        boolean full = trained != null && trained.spec() instanceof FullModelSpec;
        if (full && !merged) {
            throw VideoRlException.invalidConfiguration("--checkpoint " + source.checkpoint + " trained every weight (model.finetune "
                    + "full): it has no adapters, and exports as a whole checkpoint with --merged");
        }
        Path base = CheckpointDirectories.local(baseLocation, cacheDirectory.resolve("models"), hadoop);
        if (trained != null) {
            ((PretrainedSpec) trained.spec()).requireBaseAt(base);
        }
        if (full) {
            CheckpointRewrite.writeTrained(base, trained.trainable(), out);
            System.err.println("export: every weight of " + baseLocation + " as trained");
        } else {
            exportAdapters(trained, base, baseLocation, cacheDirectory, hadoop);
        }
        System.out.println(out);
        return 0;
    }

    /** The adapters of {@code trained} (a run's), or else of {@code --adapter}, over {@code base}. */
    private void exportAdapters(PolicyWeights trained, Path base, String baseLocation, Path cacheDirectory, Configuration hadoop)
            throws IOException {
        Qwen25VlConfig config = Qwen25VlConfig.read(base.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LoraAdapters adapters = trained != null ? LoraAdapters.ofCheckpoint(trained, base, config, manager)
                    : LoraAdapters.readPeft(CheckpointDirectories.local(source.adapter, cacheDirectory.resolve("adapters"), hadoop), config,
                    manager);
            if (merged) {
                LoraMerge.write(base, adapters, out);
            } else {
                adapters.writePeft(out, baseLocation);
            }
            System.err.println("export: " + adapters.modules().size() + " adapted projections, rank " + adapters.rank()
                    + (merged ? ", merged into " + baseLocation : ""));
        }
    }
}
