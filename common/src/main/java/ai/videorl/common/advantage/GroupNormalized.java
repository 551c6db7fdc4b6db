package ai.videorl.common.advantage;

/**
 * GRPO (Shao et al. 2024, DeepSeekMath): {@code A_i = (r_i − mean(r)) / (std(r) + ε)} with the
 * unbiased (n − 1) standard deviation. ε defaults to 1e-6; VideoAuto-R1 uses 1e-4.
 */
public final class GroupNormalized implements AdvantageEstimator {

    public static final String NAME = "grpo";
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double epsilon;

    public GroupNormalized(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] estimate(double[] rewards) {
        double mean = GroupStatistics.mean(rewards);
        double scale = GroupStatistics.unbiasedStd(rewards, mean) + epsilon;
        double[] advantages = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            advantages[i] = (rewards[i] - mean) / scale;
        }
        return advantages;
    }

    @Override
    public String toString() {
        return NAME + "(epsilon=" + epsilon + ")";
    }
}
