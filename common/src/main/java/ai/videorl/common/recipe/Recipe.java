package ai.videorl.common.recipe;

import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms;
import ai.videorl.common.reward.RewardTerms.Weight;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training recipe: an output template (the instructions a policy is prompted with and the
 * parser that reads its completions) and an ordered list of reward terms ending with
 * {@value RewardTerms#TOTAL}.
 *
 * @param <P> what the parser extracts
 */
public interface Recipe<P extends ParsedCompletion> {

    /** The registry key, e.g. {@code videoauto-r1}. */
    String name();

    /** The system prompt that asks for this recipe's template. */
    String instructions();

    /** Parses a completion; never throws, whatever the text. */
    P parse(String completion);

    /** The reward terms in evaluation order, {@value RewardTerms#TOTAL} not among them. */
    List<RewardTerm<P>> scoredTerms();

    /** The weights of {@value RewardTerms#TOTAL}, a weighted sum of the scored terms. */
    List<Weight> totalWeights();

    /** Every reward term in evaluation order: the scored ones, then {@value RewardTerms#TOTAL}. */
    default List<RewardTerm<P>> terms() {
        List<RewardTerm<P>> terms = new ArrayList<>(scoredTerms());
        terms.add(RewardTerms.weightedSum(RewardTerms.TOTAL, totalWeights()));
        return List.copyOf(terms);
    }

    /**
     * How each segment's reward is made from the term columns, for process-aware advantages. The
     * default is one segment, the whole response, rewarded with the total.
     */
    default Map<Segment, List<Weight>> segmentRewards() {
        return Map.of(Segment.RESPONSE, List.of(RewardTerms.weight(RewardTerms.TOTAL, 1)));
    }
}
