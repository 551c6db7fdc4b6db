package ai.videorl.common.loss;

/**
 * The loss of a batch or of one executor's shard of it. Shards evaluated with the same global
 * {@link BatchShape} add up ({@link #plus}) to the whole batch's result, so executors can combine
 * them with a tree aggregation.
 *
 * @param loss the objective minimised: {@code pgLoss + β·klLoss − entropy_coef·entropy}
 * @param pgLoss the aggregated policy-gradient loss
 * @param klLoss the aggregated KL to the reference (0 when β = 0)
 * @param entropy the aggregated entropy (0 when none was given)
 * @param tokens response tokens
 * @param clippedTokens tokens where the clip bound was active
 * @param dualClippedTokens tokens where the dual clip was active
 * @param negativeLogRatioSum Σ {@code old_logp − logp} (clamped) over tokens
 */
public record LossResult(double loss, double pgLoss, double klLoss, double entropy, long tokens, long clippedTokens,
                         long dualClippedTokens, double negativeLogRatioSum) {

    public static final LossResult EMPTY = new LossResult(0, 0, 0, 0, 0, 0, 0, 0);

    public LossResult plus(LossResult other) {
        return new LossResult(loss + other.loss, pgLoss + other.pgLoss, klLoss + other.klLoss, entropy + other.entropy,
                tokens + other.tokens, clippedTokens + other.clippedTokens, dualClippedTokens + other.dualClippedTokens,
                negativeLogRatioSum + other.negativeLogRatioSum);
    }

    /** {@code actor/pg_clipfrac}: fraction of tokens whose clip bound was active. */
    public double clipFraction() {
        return tokens == 0 ? 0 : (double) clippedTokens / tokens;
    }

    /** {@code actor/pg_clipfrac_lower}: fraction of tokens whose dual clip was active. */
    public double dualClipFraction() {
        return tokens == 0 ? 0 : (double) dualClippedTokens / tokens;
    }

    /** {@code actor/ppo_kl}: token mean of {@code old_logp − logp}, the approximate KL to the rollout policy. */
    public double approximateKl() {
        return tokens == 0 ? 0 : negativeLogRatioSum / tokens;
    }
}
