package ai.videorl.cluster.model;

import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.text.Span;
import ai.videorl.common.text.TokenOffsets;

import java.util.Arrays;
import java.util.Objects;

/**
 * VideoAutoR1's confidence-gated early exit, as a real two-stage decode in one pass: stage one
 * generates until {@code <think>} (bounded); the confidence of the first boxed answer is
 * {@code exp(mean log-probability of its tokens)} (−1 for the fallback phrase or when no box can
 * be found); at or above τ the answer stands and the row stops, otherwise the row goes on decoding
 * from where it is (its key-value cache kept), so stage two costs no more than the rest of a full
 * decode. The reference evaluation decodes everything and chooses afterwards; stopping is what
 * saves the tokens.
 */
public final class EarlyExitDecoder {

    /** The tag the first stage ends with. */
    public static final String THINK = "<think>";
    /** The confidence given when there is no first answer to trust. */
    public static final double NO_CONFIDENCE = -1;

    private final Policy policy;
    private final PolicyProcessor processor;
    private final int thinkToken;

    public EarlyExitDecoder(Policy policy, PolicyProcessor processor) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.thinkToken = processor.tokenId(THINK);
    }

    /**
     * One response.
     *
     * @param tokens everything generated, both stages
     * @param logProbs each token's log-probability under the policy
     * @param text the tokens' text
     * @param confidence of the first answer, or {@link #NO_CONFIDENCE}
     * @param exitedEarly the first answer was confident enough and decoding stopped after it
     */
    public record Answer(int[] tokens, double[] logProbs, String text, double confidence, boolean exitedEarly) {
    }

    /**
     * Decodes a batch greedily with the early exit.
     *
     * @param threshold τ: 0.97 for Qwen2.5-VL in the paper, 0.98 for Qwen3-VL
     * @param firstStageTokens at most this many tokens before {@code <think>}
     * @param maxNewTokens at most this many tokens in all
     */
    public Answer[] decode(PolicyInputs inputs, double threshold, int firstStageTokens, int maxNewTokens) {
        int stageOneLimit = Math.min(firstStageTokens, maxNewTokens);
        // Asked after every token: a row without <think> yet stops at stage one's limit; a row whose
        // newest token is <think> stops when its first answer is confident enough; past <think>, never.
        StopRule gate = (response, logProbs) -> {
            int think = thinkIndex(processor, thinkToken, response);
            if (think < 0) {
                return response.length >= stageOneLimit;
            }
            return think == response.length - 1 && confidence(processor, response, logProbs) >= threshold;
        };
        Policy.Generation generation = policy.generate(inputs, DecodingConfig.greedy(maxNewTokens), new long[inputs.batch()], gate);
        Answer[] answers = new Answer[inputs.batch()];
        for (int b = 0; b < answers.length; b++) {
            int[] tokens = generation.tokens()[b];
            double[] logProbs = generation.logProbs()[b];
            int think = thinkIndex(processor, thinkToken, tokens);
            double confidence = firstAnswerConfidence(processor, tokens, logProbs, thinkToken);
            // The first answer stands when the response ends at <think>: confident enough, or out of tokens.
            boolean exited = think >= 0 && think == tokens.length - 1 && (confidence >= threshold || tokens.length >= maxNewTokens);
            answers[b] = new Answer(tokens, logProbs, processor.decode(tokens), confidence, exited);
        }
        return answers;
    }

    /**
     * Where a response's first stage ends: the index of the token that completes its first
     * {@code <think>}, or -1 without one. With a tokenizer that has a {@code <think>} token
     * ({@code thinkToken} ≥ 0: the tiny policy's, Qwen3's) that token; else (Qwen2.5-VL's, which
     * spells it in pieces) the token whose text reaches the tag's last character.
     */
    public static int thinkIndex(PolicyProcessor processor, int thinkToken, int[] tokens) {
        if (thinkToken >= 0) {
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] == thinkToken) {
                    return i;
                }
            }
            return -1;
        }
        int at = processor.decode(tokens).indexOf(THINK);
        if (at < 0) {
            return -1;
        }
        TokenOffsets offsets = processor.offsets(tokens);
        int last = at + THINK.length() - 1;
        for (int i = 0; i < offsets.size(); i++) {
            if (offsets.end(i) > last) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The confidence of a whole response's first answer: {@link #confidence} of its tokens up to and
     * including the first {@code <think>}, or {@link #NO_CONFIDENCE} when it never thinks.
     */
    public static double firstAnswerConfidence(PolicyProcessor processor, int[] tokens, double[] logProbs, int thinkToken) {
        int think = thinkIndex(processor, thinkToken, tokens);
        return think < 0 ? NO_CONFIDENCE
                : confidence(processor, Arrays.copyOf(tokens, think + 1), Arrays.copyOf(logProbs, think + 1));
    }

    /**
     * exp(mean log-probability of the tokens inside the first box), or {@link #NO_CONFIDENCE}:
     * the confidence of a response's first answer, from its tokens (at least up to {@code <think>})
     * and their log-probabilities.
     */
    public static double confidence(PolicyProcessor processor, int[] tokens, double[] logProbs) {
        String text = processor.decode(tokens);
        VideoAutoR1.Parsed parsed = new VideoAutoR1().parse(text);
        Span box = parsed.firstAnswerSpan();
        if (box == null || parsed.fellBack() || parsed.firstAnswer().isEmpty()) {
            return NO_CONFIDENCE;
        }
        Span inside = processor.offsets(tokens).tokenSpan(box);
        if (inside.isEmpty()) {
            return NO_CONFIDENCE;
        }
        double sum = 0;
        for (int t = inside.start(); t < inside.end(); t++) {
            sum += logProbs[t];
        }
        return Math.exp(sum / inside.length());
    }
}
