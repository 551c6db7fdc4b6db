package ai.videorl.common.recipe;

import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms;
import ai.videorl.common.reward.RewardTerms.Weight;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static ai.videorl.common.reward.RewardTerms.pointwise;
import static ai.videorl.common.reward.RewardTerms.weight;

/**
 * DAPO's overlong reward shaping (Yu et al. 2025; verl's {@code overlong_buffer}) over any
 * recipe: a response of L tokens (END included) whose length passes {@code maxTokens − buffer}
 * is penalised linearly, down to {@code −penalty} at {@code maxTokens}:
 * {@code overlong_reward = min(−(L − (maxTokens − buffer)) / buffer · penalty, 0)}. It joins the
 * total and, for a recipe with several segments, each segment's reward: the length is the whole
 * response's. {@code overlong} is 1 where the penalty applies (verl's two names; a column each,
 * so {@code reward/overlong/mean} is the share of responses penalised).
 *
 * @param <P> the recipe's parsed-completion type
 */
public final class OverlongPenalty<P extends ParsedCompletion> implements Recipe<P> {

    public static final String OVERLONG_REWARD = "overlong_reward";
    public static final String OVERLONG = "overlong";

    private final Recipe<P> recipe;
    private final int maxTokens;
    private final int buffer;
    private final double penalty;

    private OverlongPenalty(Recipe<P> recipe, int maxTokens, int buffer, double penalty) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        if (buffer < 1 || buffer > maxTokens || !(penalty >= 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("an overlong buffer of 1 to " + maxTokens + " tokens and a penalty >= 0, got "
                    + buffer + " and " + penalty);
        }
        this.maxTokens = maxTokens;
        this.buffer = buffer;
        this.penalty = penalty;
    }

    /** {@code recipe} with responses longer than {@code maxTokens − buffer} tokens penalised, up to {@code penalty}. */
    public static <P extends ParsedCompletion> Recipe<P> of(Recipe<P> recipe, int maxTokens, int buffer, double penalty) {
        return new OverlongPenalty<>(recipe, maxTokens, buffer, penalty);
    }

    /** The penalty of a response of {@code tokens} tokens: 0 up to {@code maxTokens − buffer}, then linear. */
    double penalty(int tokens) {
        int exceeding = tokens - (maxTokens - buffer);
        return Math.min(-exceeding / (double) buffer * penalty, 0);
    }

    @Override
    public String name() {
        return recipe.name();
    }

    @Override
    public String instructions() {
        return recipe.instructions();
    }

    @Override
    public P parse(String completion) {
        return recipe.parse(completion);
    }

    @Override
    public List<RewardTerm<P>> scoredTerms() {
        List<RewardTerm<P>> terms = new ArrayList<>(recipe.scoredTerms());
        terms.add(pointwise(OVERLONG_REWARD, (input, earlier) -> penalty(input.tokens().size())));
        terms.add(pointwise(OVERLONG, List.of(OVERLONG_REWARD), (input, earlier) -> earlier.get(OVERLONG_REWARD) < 0 ? 1 : 0));
        return terms;
    }

    @Override
    public List<Weight> totalWeights() {
        List<Weight> total = new ArrayList<>(recipe.totalWeights());
        total.add(weight(OVERLONG_REWARD, 1));
        return total;
    }

    /** Each segment's reward with the penalty added, unless it is the total, which holds it already. */
    @Override
    public Map<Segment, List<Weight>> segmentRewards() {
        Map<Segment, List<Weight>> segments = new EnumMap<>(Segment.class);
        recipe.segmentRewards().forEach((segment, weights) -> {
            List<Weight> shaped = new ArrayList<>(weights);
            if (weights.stream().noneMatch(entry -> entry.term().equals(RewardTerms.TOTAL))) {
                shaped.add(weight(OVERLONG_REWARD, 1));
            }
            segments.put(segment, List.copyOf(shaped));
        });
        return segments;
    }
}
