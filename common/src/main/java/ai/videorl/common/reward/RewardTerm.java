package ai.videorl.common.reward;

import java.util.List;

/**
 * One named reward term: one column of the rollout table. A term scores a whole batch at once so
 * that terms calling a service (a judge LLM, an embedding model) can batch, bound concurrency and
 * cache; terms that need only the rollout itself use {@link RewardTerms#pointwise}.
 *
 * <p>Contract: never throw for a malformed completion or an unreadable answer; such a rollout
 * scores 0. A term may read the values of earlier terms, named by {@link #inputs()}.
 *
 * @param <P> the recipe's parsed-completion type
 */
public interface RewardTerm<P> {

    /** The column name, e.g. {@code accuracy_final}. */
    String name();

    /** Earlier terms whose values this term reads. */
    default List<String> inputs() {
        return List.of();
    }

    /**
     * Scores every rollout of the batch.
     *
     * @param batch the rollouts
     * @param earlier values of the earlier terms, by row
     * @return one value per rollout, finite
     */
    double[] score(List<RewardInput<P>> batch, RewardTable earlier);
}
