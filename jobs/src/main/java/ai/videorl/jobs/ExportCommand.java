package ai.videorl.jobs;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.hf.CheckpointDirectories;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.LoraMerge;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.store.LocalDirectories;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code export}: a LoRA adapter as a PEFT adapter directory, or merged into its base as a Hugging Face checkpoint. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a LoRA adapter of a Qwen2.5-VL checkpoint for serving: as a PEFT adapter directory, checked against",
            "the base, or with --merged as a full Hugging Face checkpoint (the base with the adapter merged, its dtype,",
            "shards, config, tokenizer and templates kept) that transformers and vLLM load directly."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the base Qwen2.5-VL checkpoint: a path or a Hadoop URI")
    private String model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "a PEFT LoRA adapter directory of that base: "
            + "a path or a Hadoop URI")
    private String adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "a local directory that does not exist yet")
    private Path out;

    @Option(names = "--merged", description = "write the base with the adapter merged, not the adapter")
    private boolean merged;

    @Option(names = "--cache", paramLabel = "DIR", description = "where remote checkpoints are copied (default: ~/.cache/videorl)")
    private Path cache;

    @Override
    public Integer call() throws IOException {
        LocalDirectories.requireAbsent(out, "--out");
        Path cacheDirectory = CacheDirectory.orDefault(cache);
        Configuration hadoop = new Configuration();
        Path base = CheckpointDirectories.local(model, cacheDirectory.resolve("models"), hadoop);
        Path adapterDirectory = CheckpointDirectories.local(adapter, cacheDirectory.resolve("adapters"), hadoop);
        Qwen25VlConfig config = Qwen25VlConfig.read(base.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            LoraAdapters adapters = LoraAdapters.readPeft(adapterDirectory, config, manager);
            if (merged) {
                LoraMerge.write(base, adapters, out);
            } else {
                adapters.writePeft(out, model);
            }
            System.err.println("export: " + adapters.modules().size() + " adapted projections, rank " + adapters.rank()
                    + (merged ? ", merged into " + model : ""));
        }
        System.out.println(out);
        return 0;
    }
}
