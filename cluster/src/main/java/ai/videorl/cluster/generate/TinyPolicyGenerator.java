package ai.videorl.cluster.generate;

import ai.djl.Device;
import ai.videorl.cluster.eval.EvalCheckpoint;
import ai.videorl.cluster.model.FrameTimes;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Arrays;

/**
 * A run's tiny policy answering a prompt: its newest committed checkpoint (or the one named),
 * frames sampled as the run's {@code video} settings say, the prompt laid out as the run lays out
 * its questions. It has no chat template, so no system prompt.
 */
final class TinyPolicyGenerator implements PromptGenerator {

    private final EvalCheckpoint checkpoint;
    private final VideoPolicy policy;
    private final LocalVideoFiles videos;

    TinyPolicyGenerator(EvalCheckpoint checkpoint, LocalVideoFiles videos) {
        this.checkpoint = checkpoint;
        this.policy = VideoPolicy.fromWeights(checkpoint.loaded().weights(), Device.cpu());
        this.videos = videos;
    }

    @Override
    public GenerateResult generate(GenerateRequest request) {
        if (request.system() != null) {
            throw VideoRlException.invalidConfiguration("--system: the tiny policy has no chat template, so no system prompt");
        }
        VocabularyTokenizer tokenizer = checkpoint.vocabulary().tokenizer();
        SampledFrames frames = new FrameSampler(checkpoint.config().video().toSampling())
                .sample(videos.localFile(request.video()), request.video());
        int[] prompt = checkpoint.vocabulary().layout().encode(request.prompt(), "--prompt", tokenizer);
        int timeWidth = policy.config().frameTimes();
        int[] times = timeWidth == 0 ? new int[0] : FrameTimes.tokens(frames.timestamps(), timeWidth, tokenizer, request.video());
        VideoPolicy.Inputs inputs = new VideoPolicy.Inputs(frames.pixels(), frames.count(), new int[][] {prompt}, 1, times);
        VideoPolicy.Generation generation = policy.generate(inputs, request.decoding(), new long[] {request.seed()}, StopRule.NONE);
        int[] response = generation.tokens()[0];
        float[] logProbs = new float[response.length];
        for (int k = 0; k < logProbs.length; k++) {
            logProbs[k] = (float) generation.logProbs()[0][k];
        }
        // The decoded stream's frame nearest each sampled picture's time.
        int[] indices = Arrays.stream(frames.timestamps()).mapToInt(seconds -> (int) Math.round(seconds * frames.probe().frameRate()))
                .toArray();
        return new GenerateResult(prompt, response, tokenizer.decode(response), logProbs,
                new int[] {frames.count(), frames.height(), frames.width()}, indices);
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
