package ai.videorl.common.loss;

/**
 * The PPO clipped surrogate for one token, with separate lower/upper clip ranges and dual clip:
 * <pre>
 *   d      = clamp(logp − old_logp, −20, 20)          // so exp never overflows
 *   ratio  = exp(d)
 *   ℓ1     = −A · ratio
 *   ℓ2     = −A · clamp(ratio, 1 − ε_low, 1 + ε_high)
 *   ℓ      = max(ℓ1, ℓ2)                              // pessimistic bound
 *   if A &lt; 0: ℓ = min(ℓ, −A · c)                      // dual clip
 * </pre>
 * {@link #sequenceLevel} is GSPO's form, one ratio per sequence. The DJL training step evaluates
 * the same expressions on tensors; tests hold the two equal.
 */
public final class ClippedSurrogate {

    static final double LOG_RATIO_LIMIT = 20;
    /** GSPO caps a sequence's log-ratio above only, at 10, as verl does. */
    static final double SEQUENCE_LOG_RATIO_CAP = 10;

    private ClippedSurrogate() {
    }

    /**
     * One token's surrogate.
     *
     * @param loss the token's policy-gradient loss
     * @param clipped the clip bound was the active one ({@code ℓ2 > ℓ1}; counted in {@code actor/pg_clipfrac})
     * @param dualClipped the dual clip was the active one (counted in {@code actor/pg_clipfrac_lower})
     * @param logRatio {@code d}, the clamped {@code logp − old_logp}; {@code −d} feeds {@code actor/ppo_kl}
     */
    public record Token(double loss, boolean clipped, boolean dualClipped, double logRatio) {
    }

    public static Token evaluate(double logProb, double oldLogProb, double advantage, PolicyLossConfig config) {
        double logRatio = KlEstimator.clamp(logProb - oldLogProb, LOG_RATIO_LIMIT);
        double ratio = Math.exp(logRatio);
        double unclipped = -advantage * ratio;
        double clipped = -advantage * clip(ratio, config);
        double pessimistic = Math.max(unclipped, clipped);
        double loss = pessimistic;
        boolean dualClipped = false;
        if (advantage < 0) {
            double bound = -advantage * config.dualClip();
            dualClipped = pessimistic > bound;
            loss = Math.min(pessimistic, bound);
        }
        return new Token(loss, clipped > unclipped, dualClipped, logRatio);
    }

    /**
     * One token's GSPO surrogate: the sequence's ratio {@code s = exp(min(sequenceLogRatio, 10))}
     * in place of the token's, {@code ℓ = max(−A·s, −A·clamp(s, 1 − ε_low, 1 + ε_high))}, no dual
     * clip (as verl's {@code gspo}).
     *
     * @param sequenceLogRatio the mean of {@code logp − old_logp} over the sequence's tokens
     * @param tokenLogRatio this token's {@code logp − old_logp}, unclamped: what {@code actor/ppo_kl} averages
     */
    public static Token sequenceLevel(double sequenceLogRatio, double tokenLogRatio, double advantage, PolicyLossConfig config) {
        double ratio = Math.exp(Math.min(sequenceLogRatio, SEQUENCE_LOG_RATIO_CAP));
        double unclipped = -advantage * ratio;
        double clipped = -advantage * clip(ratio, config);
        return new Token(Math.max(unclipped, clipped), clipped > unclipped, false, tokenLogRatio);
    }

    private static double clip(double ratio, PolicyLossConfig config) {
        return Math.max(1 - config.clipLow(), Math.min(1 + config.clipHigh(), ratio));
    }
}
