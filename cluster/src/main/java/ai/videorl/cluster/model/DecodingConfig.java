package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;

import java.io.Serializable;

/**
 * How responses are drawn. Temperature 0 is greedy decoding; top-k 0 and top-p 1 switch those
 * filters off. The recipes: VideoAuto-R1 samples at T = 1.0, Video-R2 at T = 0.9 with top-k 50.
 *
 * @param temperature divides the logits; 0 takes the most likely token
 * @param topK keep only the k most likely tokens (0: all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1: all)
 * @param maxNewTokens stop after this many tokens
 * @param useCache reuse earlier positions' keys and values (off only to check the cache)
 */
public record DecodingConfig(double temperature, int topK, double topP, int maxNewTokens, boolean useCache)
        implements Serializable {

    public static DecodingConfig greedy(int maxNewTokens) {
        return new DecodingConfig(0, 0, 1, maxNewTokens, true);
    }

    public static DecodingConfig sampling(double temperature, int topK, double topP, int maxNewTokens) {
        return new DecodingConfig(temperature, topK, topP, maxNewTokens, true);
    }

    public DecodingConfig {
        require(temperature >= 0 && Double.isFinite(temperature), "rollout.temperature must be >= 0, got " + temperature);
        require(topK >= 0, "rollout.top_k must be >= 0, got " + topK);
        require(topP > 0 && topP <= 1, "rollout.top_p must be in (0, 1], got " + topP);
        require(maxNewTokens >= 1, "rollout.max_new_tokens must be at least 1, got " + maxNewTokens);
    }

    /**
     * The temperature at which a response's log-probabilities and entropies are taken, for the
     * generation and for every later scoring of it (old, reference and new log-probabilities): the
     * sampling temperature, the distribution the tokens were drawn from, or 1 for greedy decoding.
     * Top-k and top-p cut only what may be drawn, not what is scored, as in verl and TRL.
     */
    public double scoringTemperature() {
        return temperature == 0 ? 1 : temperature;
    }

    public DecodingConfig withoutCache() {
        return new DecodingConfig(temperature, topK, topP, maxNewTokens, false);
    }

    public DecodingConfig withMaxNewTokens(int tokens) {
        return new DecodingConfig(temperature, topK, topP, tokens, useCache);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
