package ai.videorl.cluster.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.qwen.MropePositions;
import ai.videorl.cluster.model.qwen.QwenInputs;
import ai.videorl.cluster.model.qwen.QwenProcessor;
import ai.videorl.cluster.model.qwen.QwenVideoInputs;
import ai.videorl.cluster.model.qwen.Qwen25VlModel;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Qwen2.5-VL checkpoint answering a prompt: the checkpoint's own processor (chat template,
 * tokenizer, video settings) and the model on the CPU, decoding until one of the checkpoint's
 * end tokens ({@code generation_config.json}'s {@code eos_token_id}, else {@code config.json}'s).
 */
final class QwenGenerator implements PromptGenerator {

    private final Path directory;
    private final Qwen25VlModel model;
    private final QwenProcessor processor;
    private final Set<Integer> stopTokens;
    private final LocalVideoFiles videos;

    QwenGenerator(Path directory, ModelDtype dtype, LocalVideoFiles videos) {
        this.directory = directory;
        this.stopTokens = stopTokens(directory);
        this.model = Qwen25VlModel.load(directory, Device.cpu(), dtype);
        try {
            this.processor = QwenProcessor.load(directory);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.videos = videos;
    }

    @Override
    public GenerateResult generate(GenerateRequest request) {
        QwenInputs inputs = processor.process(request.system(), request.prompt(), videos.localFile(request.video()),
                request.video(), request.frames());
        QwenVideoInputs video = inputs.video();
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            Qwen25VlModel.Prompts prompts = new Qwen25VlModel.Prompts(new int[][] {inputs.inputIds()}, null,
                    scope.create(video.pixelValues(), new Shape(video.rows(), video.columns())),
                    List.of(new MropePositions.VideoGrid(video.gridT(), video.gridH(), video.gridW(), video.secondsPerGrid())));
            Qwen25VlModel.Generation generation = model.generate(prompts, request.decoding(), new long[] {request.seed()}, stopTokens,
                    null, scope);
            int[] response = generation.tokens()[0];
            return new GenerateResult(inputs.inputIds(), response, processor.tokenizer().decode(response, true),
                    generation.logProbs()[0], video.gridThw(), video.frames().indices());
        }
    }

    @Override
    public String description() {
        return "Qwen2.5-VL " + directory;
    }

    @Override
    public void close() {
        processor.close();
        model.close();
    }

    /** The checkpoint's end-of-response tokens: one id or a list, generation_config.json first. */
    private static Set<Integer> stopTokens(Path directory) {
        for (String file : new String[] {"generation_config.json", "config.json"}) {
            Path path = directory.resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            JsonNode eos;
            try {
                eos = new ObjectMapper().readTree(path.toFile()).get("eos_token_id");
            } catch (IOException e) {
                throw VideoRlException.invalidConfiguration(path + ": not readable JSON: " + e.getMessage());
            }
            if (eos == null || eos.isNull()) {
                continue;
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode id : eos.isArray() ? eos : List.of(eos)) {
                if (!id.canConvertToInt()) {
                    throw VideoRlException.invalidConfiguration(path + ": eos_token_id must be an id or a list of ids, got " + eos);
                }
                ids.add(id.intValue());
            }
            return Set.copyOf(ids);
        }
        throw VideoRlException.invalidConfiguration(directory + ": neither generation_config.json nor config.json names an "
                + "eos_token_id, so a response would never end before --max-new-tokens");
    }
}
