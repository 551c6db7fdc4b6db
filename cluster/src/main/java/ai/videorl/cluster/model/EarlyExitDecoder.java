package ai.videorl.cluster.model;

import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.text.Span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

/**
 * VideoAutoR1's confidence-gated early exit, as a real two-stage decode: stage one generates
 * until {@code <think>} (bounded); the confidence of the first boxed answer is
 * {@code exp(mean log-probability of its tokens)} (−1 for the fallback phrase or when no box can
 * be found); at or above τ the answer stands and decoding stops, otherwise stage two continues
 * the same response to its end. The reference evaluation decodes everything and chooses
 * afterwards; stopping is what saves the tokens.
 */
public final class EarlyExitDecoder {

    /** The confidence given when there is no first answer to trust. */
    public static final double NO_CONFIDENCE = -1;

    private final Policy policy;
    private final PolicyProcessor processor;
    private final int thinkToken;

    public EarlyExitDecoder(Policy policy, PolicyProcessor processor) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.thinkToken = processor.tokenId("<think>");
        if (thinkToken < 0) {
            throw new IllegalArgumentException("the policy's tokenizer has no <think> token, which the early exit stops at");
        }
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
        long[] seeds = new long[inputs.batch()];
        Policy.Generation first = policy.generate(inputs, DecodingConfig.greedy(Math.min(firstStageTokens, maxNewTokens)),
                seeds, StopRule.afterTokens(Set.of(thinkToken)));
        Answer[] answers = new Answer[inputs.batch()];
        Map<Integer, List<Integer>> unsureByLength = new TreeMap<>();
        for (int b = 0; b < inputs.batch(); b++) {
            int[] tokens = first.tokens()[b];
            double confidence = confidence(processor, tokens, first.logProbs()[b]);
            boolean reachedThink = tokens.length > 0 && tokens[tokens.length - 1] == thinkToken;
            boolean exit = confidence >= threshold || !reachedThink || tokens.length >= maxNewTokens;
            answers[b] = new Answer(tokens, first.logProbs()[b], processor.decode(tokens), confidence, exit && reachedThink);
            if (!exit) {
                unsureByLength.computeIfAbsent(tokens.length, length -> new ArrayList<>()).add(b);
            }
        }
        // Continue rows of equal stage-one length together, so every token keeps the position it
        // would have had in one continuous decode (positions are learned; padding would shift them).
        unsureByLength.forEach((length, rows) -> continueRows(inputs, answers, rows, maxNewTokens - length));
        return answers;
    }

    /** Stage two for {@code rows}: their prompts now end with what stage one generated. */
    private void continueRows(PolicyInputs inputs, Answer[] answers, List<Integer> rows, int budget) {
        int[][] generated = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            generated[i] = answers[rows.get(i)].tokens();
        }
        Policy.Generation second = policy.generate(inputs.continued(rows, generated),
                DecodingConfig.greedy(budget), new long[rows.size()], StopRule.NONE);
        for (int i = 0; i < rows.size(); i++) {
            Answer stageOne = answers[rows.get(i)];
            int[] all = concat(stageOne.tokens(), second.tokens()[i]);
            double[] logProbs = DoubleStream.concat(Arrays.stream(stageOne.logProbs()), Arrays.stream(second.logProbs()[i])).toArray();
            answers[rows.get(i)] = new Answer(all, logProbs, processor.decode(all), stageOne.confidence(), false);
        }
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

    private static int[] concat(int[] a, int[] b) {
        int[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
