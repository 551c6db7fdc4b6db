package ai.videorl.cluster.generate;

import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.qwen.QwenPolicy;
import ai.videorl.cluster.model.qwen.QwenPolicyInputs;
import ai.videorl.cluster.model.qwen.QwenPolicyProcessor;
import ai.videorl.cluster.model.qwen.QwenProcessor;
import ai.videorl.cluster.model.qwen.QwenVideoInputs;
import ai.videorl.cluster.video.LocalVideoFiles;

import java.nio.file.Path;

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

    /** The checkpoint in {@code directory} as {@code policy} (which this takes, to close) holds it: its weights or trained ones. */
    QwenGenerator(Path directory, QwenPolicy policy, LocalVideoFiles videos) {
        this.directory = directory;
        this.policy = policy;
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
