package ai.videorl.common.loss;

import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * The settings of the GRPO policy loss. Defaults follow the open frameworks: ε_low = ε_high =
 * 0.2, dual clip c = 3, token-mean aggregation, k3 KL.
 *
 * @param clipLow ε_low: the ratio is clipped below at 1 − ε_low, in (0, 1)
 * @param clipHigh ε_high: clipped above at 1 + ε_high (DAPO's "clip-higher" uses 0.28), > 0
 * @param dualClip c: for negative advantages the loss is at most −A·c (Ye et al. 2020), > 1;
 *        {@code Double.POSITIVE_INFINITY} switches it off
 * @param aggregation how token losses become one number
 * @param klEstimator how the KL to the reference is estimated per token
 * @param klCoefficient β: weight of the KL loss; 0 switches it off (no reference log-probs needed)
 * @param entropyCoefficient weight of the entropy bonus (subtracted from the loss); 0 switches it off
 */
public record PolicyLossConfig(double clipLow, double clipHigh, double dualClip, LossAggregation aggregation,
                               KlEstimator klEstimator, double klCoefficient, double entropyCoefficient) {

    public static final PolicyLossConfig DEFAULTS =
            new PolicyLossConfig(0.2, 0.2, 3.0, LossAggregation.TOKEN_MEAN, KlEstimator.K3, 0.0, 0.0);

    public PolicyLossConfig {
        require(clipLow > 0 && clipLow < 1, "clip_low must be in (0, 1), got " + clipLow);
        require(clipHigh > 0 && Double.isFinite(clipHigh), "clip_high must be positive, got " + clipHigh);
        require(dualClip > 1, "dual_clip must be > 1 (or infinite to switch it off), got " + dualClip);
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(klEstimator, "klEstimator");
        require(klCoefficient >= 0 && Double.isFinite(klCoefficient), "kl_coef must be >= 0, got " + klCoefficient);
        require(Double.isFinite(entropyCoefficient), "entropy_coef must be finite, got " + entropyCoefficient);
    }

    public PolicyLossConfig withKl(KlEstimator estimator, double coefficient) {
        return new PolicyLossConfig(clipLow, clipHigh, dualClip, aggregation, estimator, coefficient, entropyCoefficient);
    }

    public PolicyLossConfig withClip(double low, double high, double dual) {
        return new PolicyLossConfig(low, high, dual, aggregation, klEstimator, klCoefficient, entropyCoefficient);
    }

    public PolicyLossConfig withAggregation(LossAggregation mode) {
        return new PolicyLossConfig(clipLow, clipHigh, dualClip, mode, klEstimator, klCoefficient, entropyCoefficient);
    }

    public PolicyLossConfig withEntropyCoefficient(double coefficient) {
        return new PolicyLossConfig(clipLow, clipHigh, dualClip, aggregation, klEstimator, klCoefficient, coefficient);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
