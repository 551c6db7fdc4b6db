package ai.videorl.cluster.generate;

import ai.djl.Device;
import ai.videorl.cluster.eval.EvalCheckpoint;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.TinyProcessor;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A run's tiny policy answering a prompt: its newest committed checkpoint (or the one named),
 * frames sampled as the run's {@code video} settings say, the prompt laid out as the run lays out
 * its questions. It has no chat template, so no system prompt.
 */
final class TinyPolicyGenerator implements PromptGenerator {

    private final EvalCheckpoint checkpoint;
    private final VideoPolicy policy;
    private final TinyProcessor processor;
    private final Function<String, SampledFrames> frames;

    TinyPolicyGenerator(EvalCheckpoint checkpoint, LocalVideoFiles videos) {
        this.checkpoint = checkpoint;
        this.policy = VideoPolicy.fromWeights(checkpoint.loaded().weights(), Device.cpu());
        FrameSampler sampler = new FrameSampler(checkpoint.config().video().toSampling());
        this.frames = video -> sampler.sample(videos.localFile(video), video);
        this.processor = new TinyProcessor(checkpoint.vocabulary().tokenizer(), checkpoint.vocabulary().layout(),
                policy.config().frameTimes(), frames);
    }

    @Override
    public GenerateResult generate(GenerateRequest request) {
        if (request.system() != null) {
            throw VideoRlException.invalidConfiguration("--system: the tiny policy has no chat template, so no system prompt");
        }
        SampledFrames video = frames.apply(request.video());
        VideoPolicy.Inputs inputs = processor.inputs(request.prompt(), "--prompt", video, request.video());
        Policy.Generation generation = policy.generate(inputs, request.decoding(), new long[] {request.seed()}, StopRule.NONE);
        int[] response = generation.tokens()[0];
        float[] logProbs = new float[response.length];
        for (int k = 0; k < logProbs.length; k++) {
            logProbs[k] = (float) generation.logProbs()[0][k];
        }
        // The decoded stream's frame nearest each sampled picture's time.
        int[] indices = Arrays.stream(video.timestamps()).mapToInt(seconds -> (int) Math.round(seconds * video.probe().frameRate()))
                .toArray();
        return new GenerateResult(inputs.prompts()[0], response, processor.decode(response), logProbs,
                new int[] {video.count(), video.height(), video.width()}, indices);
    }

    @Override
    public String description() {
        return "tiny policy of " + checkpoint.checkpoint();
    }

    @Override
    public void close() {
        policy.close();
    }
}
