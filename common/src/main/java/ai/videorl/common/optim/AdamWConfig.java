package ai.videorl.common.optim;

import ai.videorl.common.error.VideoRlException;

/**
 * AdamW settings (Loshchilov and Hutter 2019), with PyTorch's defaults for the betas and ε.
 *
 * @param learningRate step size, > 0 (the recipes use 1e-6 on 7B models; a tiny policy wants ~1e-4)
 * @param beta1 decay of the first-moment estimate, in [0, 1)
 * @param beta2 decay of the second-moment estimate, in [0, 1)
 * @param epsilon added to the denominator, > 0
 * @param weightDecay decoupled weight decay, >= 0
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    public static AdamWConfig withLearningRate(double learningRate) {
        return new AdamWConfig(learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamWConfig {
        // 0 is a control run: the same rollouts and losses, the policy left as it started.
        require(learningRate >= 0 && Double.isFinite(learningRate), "optimizer.lr must be >= 0, got " + learningRate);
        require(beta1 >= 0 && beta1 < 1, "optimizer.beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "optimizer.beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "optimizer.eps must be positive, got " + epsilon);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "optimizer.weight_decay must be >= 0, got " + weightDecay);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
