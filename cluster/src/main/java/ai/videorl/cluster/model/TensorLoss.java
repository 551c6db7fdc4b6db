package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.videorl.common.loss.KlEstimator;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.loss.PolicyLossMode;

/**
 * The GRPO actor loss of {@code common}'s {@link ai.videorl.common.loss.PolicyLoss} (clamps
 * included: ±20 on log-ratios, ±10 on k3, GSPO's cap of 10 on a sequence's), expression for
 * expression, on [B, R] tensors so autograd can differentiate it. Scalars are passed as floats: a double would promote the
 * tensors to float64; those that multiply a tensor on the tape are {@link TapeScalar}s.
 * {@code weights} carries the loss aggregation (and is 0 on padding), so the value is the
 * shard's exact share of the batch loss. A test holds the two implementations equal.
 */
public final class TensorLoss {

    private static final float LOG_RATIO_LIMIT = 20;
    private static final float K3_LIMIT = 10;
    private static final float SEQUENCE_LOG_RATIO_CAP = 10;

    private TensorLoss() {
    }

    /** The loss tensor (a scalar to differentiate) and its parts as numbers. */
    public record Result(NDArray loss, LossResult values) {
    }

    static Result evaluate(PolicyLossConfig config, NDArray logProbs, NDArray oldLogProbs, NDArray referenceLogProbs,
                           NDArray advantages, NDArray entropies, NDArray weights, NDArray tokenMask) {
        NDArray real = tokenMask.toType(DataType.BOOLEAN, false);
        NDArray tokenLogRatio = logProbs.sub(oldLogProbs);
        NDArray logRatio;
        NDArray ratio;
        if (config.mode() == PolicyLossMode.GSPO) {
            // [B, 1]: each sequence's mean log-ratio over its real tokens.
            NDArray lengths = tokenMask.sum(new int[] {1}, true).clip(1, Float.MAX_VALUE);
            NDArray sequenceLogRatio = tokenLogRatio.mul(tokenMask).sum(new int[] {1}, true).div(lengths);
            // The value is the sequence's ratio on every token; the gradient on token t is s · ∇logp_t.
            NDArray combined = sequenceLogRatio.stopGradient().add(logProbs).sub(logProbs.stopGradient());
            ratio = combined.clip(-Float.MAX_VALUE, SEQUENCE_LOG_RATIO_CAP).exp();
            logRatio = tokenLogRatio;
        } else {
            logRatio = tokenLogRatio.clip(-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
            ratio = logRatio.exp();
        }
        NDArray unclipped = advantages.neg().mul(ratio);
        NDArray clipped = advantages.neg().mul(ratio.clip((float) (1 - config.clipLow()), (float) (1 + config.clipHigh())));
        NDArray pessimistic = NDArrays.maximum(unclipped, clipped);
        NDArray tokenLoss = pessimistic;
        long dualClipped = 0;
        if (config.mode() == PolicyLossMode.VANILLA && Double.isFinite(config.dualClip())) {
            NDArray negative = advantages.lt(0);
            NDArray bound = advantages.neg().mul((float) config.dualClip());
            tokenLoss = NDArrays.where(negative, NDArrays.minimum(pessimistic, bound), pessimistic);
            dualClipped = count(real.logicalAnd(negative).logicalAnd(pessimistic.gt(bound)));
        }
        NDArray zero = weights.sum().mul(0);
        NDArray pgLoss = tokenLoss.mul(weights).sum();
        NDArray klLoss = config.klCoefficient() > 0
                ? kl(config.klEstimator(), logProbs, referenceLogProbs).mul(weights).sum() : zero;
        NDArray entropy = entropies == null ? zero : entropies.mul(weights).sum();
        NDArray loss = pgLoss.add(klLoss.mul(TapeScalar.of(klLoss, (float) config.klCoefficient())))
                .sub(entropy.mul(TapeScalar.of(entropy, (float) config.entropyCoefficient())));
        LossResult values = new LossResult(loss.getFloat(), pgLoss.getFloat(), klLoss.getFloat(), entropy.getFloat(),
                count(real), count(real.logicalAnd(clipped.gt(unclipped))), dualClipped,
                logRatio.neg().mul(tokenMask).sum().getFloat());
        return new Result(loss, values);
    }

    /** Per-token KL estimates, as {@link KlEstimator} computes them. */
    static NDArray kl(KlEstimator estimator, NDArray logProbs, NDArray referenceLogProbs) {
        return switch (estimator) {
            case K1 -> logProbs.sub(referenceLogProbs);
            case K2 -> logProbs.sub(referenceLogProbs).square().mul(TapeScalar.of(logProbs, 0.5f));
            case K3 -> {
                NDArray d = referenceLogProbs.sub(logProbs).clip(-LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
                yield d.exp().sub(d).sub(1).clip(-K3_LIMIT, K3_LIMIT);
            }
        };
    }

    private static long count(NDArray flags) {
        return flags.toType(DataType.INT64, false).sum().getLong();
    }
}
