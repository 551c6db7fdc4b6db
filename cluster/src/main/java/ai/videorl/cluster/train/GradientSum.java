package ai.videorl.cluster.train;

import ai.videorl.common.loss.LossResult;

import java.io.Serializable;

/**
 * A sum of executors' gradients (and their losses) that does not depend on the order Spark
 * combines them in: values are added as 64-bit fixed-point integers (2^-40 resolution; each value
 * within ±2^16, so 2^7 shards' sums cannot overflow), and integer addition is associative, so the same per-task gradients give bit-identical
 * sums however the tree aggregation meets them — which is what lets a resumed run reach the
 * same weights as an uninterrupted one. A value outside the range (or not finite) marks the sum
 * not finite instead of wrapping; the driver then skips the step.
 *
 * <p>A plain mutable class (Kryo ships it between executors and driver); {@link #add} and
 * {@link #merge} update it in place, as {@code treeAggregate} allows.
 */
public final class GradientSum implements Serializable {

    static final double SCALE = 0x1p40;
    static final double LIMIT = 0x1p16;

    private long[] values;
    private boolean finite = true;
    private double loss;
    private double pgLoss;
    private double klLoss;
    private double entropy;
    private long tokens;
    private long clippedTokens;
    private long dualClippedTokens;
    private double negativeLogRatioSum;

    /** An empty sum (treeAggregate's zero: it allocates on the first gradient added). */
    public GradientSum() {
    }

    public GradientSum add(float[] gradient, LossResult result) {
        if (values == null) {
            values = new long[gradient.length];
        } else if (values.length != gradient.length) {
            throw new IllegalArgumentException("a gradient of " + gradient.length + " values added to a sum of " + values.length);
        }
        for (int i = 0; i < gradient.length; i++) {
            double value = gradient[i];
            if (!(Math.abs(value) < LIMIT)) {
                finite = false;
            } else {
                values[i] += Math.round(value * SCALE);
            }
        }
        addLoss(result.loss(), result.pgLoss(), result.klLoss(), result.entropy(), result.tokens(), result.clippedTokens(),
                result.dualClippedTokens(), result.negativeLogRatioSum());
        return this;
    }

    public GradientSum merge(GradientSum other) {
        if (other.values != null) {
            if (values == null) {
                values = other.values.clone();
            } else {
                if (values.length != other.values.length) {
                    throw new IllegalArgumentException("sums of " + values.length + " and " + other.values.length + " values");
                }
                for (int i = 0; i < values.length; i++) {
                    values[i] += other.values[i];
                }
            }
        }
        finite &= other.finite;
        addLoss(other.loss, other.pgLoss, other.klLoss, other.entropy, other.tokens, other.clippedTokens,
                other.dualClippedTokens, other.negativeLogRatioSum);
        return this;
    }

    private void addLoss(double loss, double pgLoss, double klLoss, double entropy, long tokens, long clippedTokens,
                         long dualClippedTokens, double negativeLogRatioSum) {
        this.loss += loss;
        this.pgLoss += pgLoss;
        this.klLoss += klLoss;
        this.entropy += entropy;
        this.tokens += tokens;
        this.clippedTokens += clippedTokens;
        this.dualClippedTokens += dualClippedTokens;
        this.negativeLogRatioSum += negativeLogRatioSum;
    }

    /** Whether every value summed was finite and within range. */
    public boolean isFinite() {
        return finite && Double.isFinite(loss);
    }

    /** The summed gradient ({@code parameters} zeros when nothing was added). */
    public float[] gradient(int parameters) {
        float[] gradient = new float[parameters];
        if (values != null) {
            if (values.length != parameters) {
                throw new IllegalStateException("the sum holds " + values.length + " values, the policy " + parameters);
            }
            for (int i = 0; i < parameters; i++) {
                gradient[i] = (float) (values[i] / SCALE);
            }
        }
        return gradient;
    }

    public LossResult loss() {
        return new LossResult(loss, pgLoss, klLoss, entropy, tokens, clippedTokens, dualClippedTokens, negativeLogRatioSum);
    }
}
