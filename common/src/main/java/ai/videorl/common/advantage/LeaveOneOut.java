package ai.videorl.common.advantage;

/**
 * RLOO (Ahmadian et al. 2024): each rollout's baseline is the mean of the OTHER rollouts,
 * {@code A_i = r_i − (Σ_j r_j − r_i) / (n − 1)}, which equals {@code n/(n−1) · (r_i − mean)}.
 */
public final class LeaveOneOut implements AdvantageEstimator {

    public static final String NAME = "rloo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double[] estimate(double[] rewards) {
        int n = rewards.length;
        double sum = 0;
        for (double reward : rewards) {
            sum += reward;
        }
        double[] advantages = new double[n];
        for (int i = 0; i < n; i++) {
            advantages[i] = rewards[i] - (sum - rewards[i]) / (n - 1);
        }
        return advantages;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
