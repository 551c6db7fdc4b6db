package ai.videorl.common.loss;

import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * The settings of the GRPO policy loss. Defaults follow the open frameworks: per-token ratios,
 * ε_low = ε_high = 0.2, dual clip c = 3, token-mean aggregation, k3 KL.
 *
 * @param mode per-token ratios (vanilla) or one ratio per sequence (GSPO, which has no dual clip
 *        and needs {@code seq-mean-token-mean})
 * @param clipLow ε_low: the ratio is clipped below at 1 − ε_low, in (0, 1)
 * @param clipHigh ε_high: clipped above at 1 + ε_high (DAPO's "clip-higher" uses 0.28), > 0
 * @param dualClip c: for negative advantages the loss is at most −A·c (Ye et al. 2020), > 1;
 *        {@code Double.POSITIVE_INFINITY} switches it off
 * @param aggregation how token losses become one number
 * @param klEstimator how the KL to the reference is estimated per token
 * @param klCoefficient β: weight of the KL loss; 0 switches it off (no reference log-probs needed)
 * @param entropyCoefficient weight of the entropy bonus (subtracted from the loss); 0 switches it off
 */
public record PolicyLossConfig(PolicyLossMode mode, double clipLow, double clipHigh, double dualClip,
                               LossAggregation aggregation, KlEstimator klEstimator, double klCoefficient,
                               double entropyCoefficient) {

    public static final PolicyLossConfig DEFAULTS = new PolicyLossConfig(PolicyLossMode.VANILLA, 0.2, 0.2, 3.0,
            LossAggregation.TOKEN_MEAN, KlEstimator.K3, 0.0, 0.0);

    public PolicyLossConfig {
        Objects.requireNonNull(mode, "mode");
        require(clipLow > 0 && clipLow < 1, "clip_low must be in (0, 1), got " + clipLow);
        require(clipHigh > 0 && Double.isFinite(clipHigh), "clip_high must be positive, got " + clipHigh);
        require(dualClip > 1, "dual_clip must be > 1 (0 in a run's configuration switches it off), got " + dualClip);
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(klEstimator, "klEstimator");
        require(klCoefficient >= 0 && Double.isFinite(klCoefficient), "kl_coef must be >= 0, got " + klCoefficient);
        require(Double.isFinite(entropyCoefficient), "entropy_coef must be finite, got " + entropyCoefficient);
        // GSPO's objective is a mean over sequences of sequence-level terms; verl forces this mode.
        require(mode != PolicyLossMode.GSPO || aggregation == LossAggregation.SEQ_MEAN_TOKEN_MEAN,
                "policy_loss gspo averages each sequence's tokens, then the sequences: loss_aggregation must be "
                        + LossAggregation.SEQ_MEAN_TOKEN_MEAN + ", got " + aggregation);
    }

    public PolicyLossConfig withMode(PolicyLossMode newMode, LossAggregation newAggregation) {
        return new PolicyLossConfig(newMode, clipLow, clipHigh, dualClip, newAggregation, klEstimator, klCoefficient,
                entropyCoefficient);
    }

    public PolicyLossConfig withKl(KlEstimator estimator, double coefficient) {
        return new PolicyLossConfig(mode, clipLow, clipHigh, dualClip, aggregation, estimator, coefficient, entropyCoefficient);
    }

    public PolicyLossConfig withClip(double low, double high, double dual) {
        return new PolicyLossConfig(mode, low, high, dual, aggregation, klEstimator, klCoefficient, entropyCoefficient);
    }

    public PolicyLossConfig withAggregation(LossAggregation newAggregation) {
        return new PolicyLossConfig(mode, clipLow, clipHigh, dualClip, newAggregation, klEstimator, klCoefficient, entropyCoefficient);
    }

    public PolicyLossConfig withEntropyCoefficient(double coefficient) {
        return new PolicyLossConfig(mode, clipLow, clipHigh, dualClip, aggregation, klEstimator, klCoefficient, coefficient);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
