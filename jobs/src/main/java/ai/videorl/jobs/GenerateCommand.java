package ai.videorl.jobs;

import ai.videorl.cluster.generate.GenerateJson;
import ai.videorl.cluster.generate.GenerateRequest;
import ai.videorl.cluster.generate.GenerateResult;
import ai.videorl.cluster.generate.PromptGenerator;
import ai.videorl.cluster.generate.PromptGenerators;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.qwen.QwenVideoOptions;
import ai.videorl.cluster.store.TextFiles;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code generate}: one answer of a model to a prompt about a video, a user's first check of a model. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Answers one prompt about one video with a model: a Hugging Face Qwen2.5-VL checkpoint directory (local or a",
            "Hadoop URI, copied once into --cache) or a videorl run's tiny policy (a run or demo directory, or a checkpoint).",
            "Prints the response; --json also writes the prompt and response ids, log-probabilities, video grid and frames."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a Qwen2.5-VL checkpoint directory or a videorl run")
    private String model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "a PEFT LoRA adapter directory to run the Qwen2.5-VL "
            + "checkpoint with (adapter_config.json, adapter_model.safetensors): a path or a Hadoop URI")
    private String adapter;

    @Option(names = "--video", required = true, paramLabel = "FILE", description = "the video: a path or a Hadoop URI")
    private String video;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the user's text")
    private String prompt;

    @Option(names = "--system", paramLabel = "TEXT", description = "the system prompt (default: the chat template's)")
    private String system;

    @Option(names = "--fps", defaultValue = "2", description = "frames a second to take (default: ${DEFAULT-VALUE})")
    private double fps;

    @Option(names = "--min-frames", paramLabel = "N", description = "at least this many frames (default: qwen-vl-utils', 4)")
    private Integer minFrames;

    @Option(names = "--max-frames", paramLabel = "N", description = "at most this many frames (default: qwen-vl-utils', 768)")
    private Integer maxFrames;

    @Option(names = "--min-pixels", paramLabel = "N", description = "a frame's smallest area after resizing (default: "
            + "qwen-vl-utils', 128·28·28)")
    private Integer minPixels;

    @Option(names = "--max-pixels", paramLabel = "N", description = "a frame's largest area after resizing (default: "
            + "qwen-vl-utils', 768·28·28 or less for long videos)")
    private Integer maxPixels;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "the response's length limit (default: ${DEFAULT-VALUE})")
    private int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 decodes greedily (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "nucleus sampling's mass (default: ${DEFAULT-VALUE})")
    private double topP;

    @Option(names = "--seed", defaultValue = "0", description = "the sampler's seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "float32|bfloat16|float16",
            description = "what the model computes in (default: ${DEFAULT-VALUE}; CPUs compute in float32)")
    private String dtype;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON here (a path or Hadoop URI)")
    private String json;

    @Option(names = "--cache", paramLabel = "DIR", description = "where remote checkpoints and videos are copied "
            + "(default: ~/.cache/videorl)")
    private Path cache;

    @Override
    public Integer call() throws IOException {
        ModelDtype computeType = ModelDtype.parse(dtype);
        GenerateRequest request = new GenerateRequest(video, system, prompt, frameOptions(), maxNewTokens, temperature, topP, seed);
        Path cacheDirectory = CacheDirectory.orDefault(cache);
        GenerateResult result;
        try (PromptGenerator generator = PromptGenerators.open(model, adapter, computeType, cacheDirectory, new Configuration())) {
            System.err.println("generate: " + generator.description());
            result = generator.generate(request);
        }
        System.out.println(result.response());
        if (json != null) {
            TextFiles.writeWhole(json, out -> {
                GenerateJson.write(result, out);
                return null;
            });
        }
        return 0;
    }

    /** qwen-vl-utils' settings: the ones given, its defaults for the rest. */
    private QwenVideoOptions frameOptions() {
        QwenVideoOptions options = QwenVideoOptions.defaults().withFps(fps);
        options = minFrames == null ? options : options.withMinFrames(minFrames);
        options = maxFrames == null ? options : options.withMaxFrames(maxFrames);
        options = minPixels == null ? options : options.withMinPixels(minPixels);
        return maxPixels == null ? options : options.withMaxPixels(maxPixels);
    }
}
