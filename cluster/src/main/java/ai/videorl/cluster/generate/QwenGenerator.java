package ai.videorl.cluster.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.model.qwen.QwenPolicy;
import ai.videorl.cluster.model.qwen.QwenPolicyInputs;
import ai.videorl.cluster.model.qwen.QwenPolicyProcessor;
import ai.videorl.cluster.model.qwen.QwenProcessor;
import ai.videorl.cluster.model.qwen.QwenVideoInputs;
import ai.videorl.cluster.video.LocalVideoFiles;

import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * A Qwen2.5-VL checkpoint answering a prompt: the checkpoint's own processor (chat template,
 * tokenizer, video settings) and the model on the CPU, decoding until one of the checkpoint's
 * end tokens.
 */
final class QwenGenerator implements PromptGenerator {

    private final Path directory;
    private final QwenPolicy policy;
    private final QwenProcessor processor;
    private final LocalVideoFiles videos;

    /** @param adapters what makes the LoRA adapters to attach, or null for none */
    QwenGenerator(Path directory, BiFunction<Qwen25VlConfig, NDManager, LoraAdapters> adapters, ModelDtype dtype, LocalVideoFiles videos) {
        this.directory = directory;
        this.policy = QwenPolicy.load(directory, Device.cpu(), dtype, adapters);
        try {
            this.processor = QwenProcessor.load(directory);
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
        this.videos = videos;
    }

    @Override
    public GenerateResult generate(GenerateRequest request) {
        QwenPolicyProcessor prompts = new QwenPolicyProcessor(processor, request.system(), "", request.frames(), videos::localFile);
        QwenPolicyInputs inputs = prompts.inputs(request.prompt(), request.video());
        Policy.Generation generation = policy.generate(inputs, request.decoding(), new long[] {request.seed()}, StopRule.NONE);
        int[] response = generation.tokens()[0];
        float[] logProbs = new float[response.length];
        for (int k = 0; k < logProbs.length; k++) {
            logProbs[k] = (float) generation.logProbs()[0][k];
        }
        QwenVideoInputs video = inputs.videos().get(0);
        return new GenerateResult(inputs.prompts()[0], response, prompts.decode(response), logProbs, video.gridThw(),
                video.frames().indices());
    }

    @Override
    public String description() {
        return "Qwen2.5-VL " + directory;
    }

    @Override
    public void close() {
        processor.close();
        policy.close();
    }
}
