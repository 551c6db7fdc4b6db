package ai.videorl.common.advantage;

/**
 * Turns one group's rewards (the G rollouts of one prompt) into advantages. Implementations
 * see only groups of at least two rollouts with finite rewards that are not all equal; the
 * degenerate cases are settled once, in {@link GroupAdvantages}.
 */
public interface AdvantageEstimator {

    /** The registry key, e.g. {@code grpo}. */
    String name();

    /**
     * @param rewards one reward per rollout, finite, at least two, not all equal
     * @return one advantage per rollout
     */
    double[] estimate(double[] rewards);
}
