package ai.videorl.common.loss;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-token estimators of KL(π_θ ‖ π_ref) from log-probabilities of the sampled token (Schulman,
 * "Approximating KL Divergence", 2020). Names as the open frameworks spell them are accepted.
 */
public enum KlEstimator {
    /** {@code logp − ref}: unbiased, high variance, can be negative. */
    K1("k1", "kl"),
    /** {@code ½ (logp − ref)²}. */
    K2("k2", "mse"),
    /**
     * {@code exp(d) − d − 1} with {@code d = clamp(ref − logp, −20, 20)}, result clamped to
     * [−10, 10]: unbiased, non-negative, low variance ("low_var_kl").
     */
    K3("k3", "low_var_kl");

    static final double LOG_RATIO_LIMIT = 20;
    static final double K3_LIMIT = 10;

    private final List<String> names;

    KlEstimator(String... names) {
        this.names = List.of(names);
    }

    public double value(double logProb, double referenceLogProb) {
        return switch (this) {
            case K1 -> logProb - referenceLogProb;
            case K2 -> 0.5 * (logProb - referenceLogProb) * (logProb - referenceLogProb);
            case K3 -> {
                double d = clamp(referenceLogProb - logProb, LOG_RATIO_LIMIT);
                yield clamp(Math.exp(d) - d - 1, K3_LIMIT);
            }
        };
    }

    public static KlEstimator parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(estimator -> estimator.names.contains(key)).findFirst()
                .orElseThrow(() -> VideoRlException.invalidConfiguration("unknown KL estimator '" + name
                        + "'; expected one of k1 (kl), k2 (mse), k3 (low_var_kl)"));
    }

    static double clamp(double value, double limit) {
        return Math.max(-limit, Math.min(limit, value));
    }
}
