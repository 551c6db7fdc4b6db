package ai.videorl.common.advantage;

/**
 * Dr. GRPO (Liu et al. 2025, "Understanding R1-Zero-Like Training"): {@code A_i = r_i − mean(r)},
 * without the division by the group's standard deviation, which biases updates toward
 * questions that are too easy or too hard.
 */
public final class MeanCentered implements AdvantageEstimator {

    public static final String NAME = "dr_grpo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] estimate(double[] rewards) {
        double mean = GroupStatistics.mean(rewards);
        double[] advantages = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            advantages[i] = rewards[i] - mean;
        }
        return advantages;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
