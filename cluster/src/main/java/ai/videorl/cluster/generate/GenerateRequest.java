package ai.videorl.cluster.generate;

import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.qwen.QwenVideoOptions;
import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * One prompt about one video, and how to decode the answer.
 *
 * @param video a local path or Hadoop URI of the video
 * @param system the system prompt, or null for the chat template's default
 * @param prompt the user's text
 * @param frames how a Qwen model's processor chooses and sizes the frames, qwen-vl-utils' settings (a tiny
 *        policy samples as its run did)
 * @param maxNewTokens the response's length limit
 * @param temperature 0 for greedy decoding
 * @param topP nucleus sampling's mass, 1 for none
 * @param seed the sampler's seed
 */
public record GenerateRequest(String video, String system, String prompt, QwenVideoOptions frames, int maxNewTokens,
                              double temperature, double topP, long seed) {

    public GenerateRequest {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(frames, "frames");
        if (maxNewTokens < 1) {
            throw VideoRlException.invalidConfiguration("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw VideoRlException.invalidConfiguration("--temperature must be 0 (greedy) or positive, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw VideoRlException.invalidConfiguration("--top-p must be in (0, 1], got " + topP);
        }
    }

    /** Greedy at temperature 0, else sampling at the temperature within top-p. */
    public DecodingConfig decoding() {
        return temperature == 0 ? DecodingConfig.greedy(maxNewTokens) : DecodingConfig.sampling(temperature, 0, topP, maxNewTokens);
    }
}
