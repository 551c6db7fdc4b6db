package ai.videorl.common.loss;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How per-token losses become one number, as the open frameworks name the modes. Each mode is a
 * per-token weight, so {@code loss = Σ_sequences Σ_tokens weight · ℓ}: with N sequences, T tokens
 * in the batch, T_s in sequence s and L the maximum response length,
 * <ul>
 *   <li>{@code token-mean}: 1 / T (every token counts the same; DAPO);</li>
 *   <li>{@code seq-mean-token-sum}: 1 / N;</li>
 *   <li>{@code seq-mean-token-mean}: 1 / (N · T_s) (every sequence counts the same; original GRPO);</li>
 *   <li>{@code seq-mean-token-sum-norm}: 1 / (N · L) (Dr. GRPO, as TRL's {@code dr_grpo}: every
 *       sequence's token sum over the same constant, then the mean over sequences, so the loss
 *       does not grow with the batch).</li>
 * </ul>
 * A sequence without tokens contributes nothing.
 */
public enum LossAggregation {
    TOKEN_MEAN("token-mean"),
    SEQ_MEAN_TOKEN_SUM("seq-mean-token-sum"),
    SEQ_MEAN_TOKEN_MEAN("seq-mean-token-mean"),
    SEQ_MEAN_TOKEN_SUM_NORM("seq-mean-token-sum-norm");

    private final String configName;

    LossAggregation(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The weight of each token of a sequence with {@code sequenceTokens} tokens. */
    public double tokenWeight(int sequenceTokens, BatchShape batch) {
        if (sequenceTokens == 0) {
            return 0;
        }
        return switch (this) {
            case TOKEN_MEAN -> 1.0 / batch.tokens();
            case SEQ_MEAN_TOKEN_SUM -> 1.0 / batch.sequences();
            case SEQ_MEAN_TOKEN_MEAN -> 1.0 / ((double) batch.sequences() * sequenceTokens);
            case SEQ_MEAN_TOKEN_SUM_NORM -> 1.0 / ((double) batch.sequences() * batch.maxResponseLength());
        };
    }

    public static LossAggregation parse(String name) {
        return Arrays.stream(values()).filter(mode -> mode.configName.equals(name.trim())).findFirst()
                .orElseThrow(() -> VideoRlException.invalidConfiguration("unknown loss aggregation '" + name
                        + "'; expected one of " + Arrays.stream(values()).map(LossAggregation::configName)
                        .collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return configName;
    }
}
