package ai.videorl.common.loss;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the clipped surrogate's importance ratio is taken over, named as verl's
 * {@code policy_loss.loss_mode}.
 */
public enum PolicyLossMode {
    /** Per token: {@code ratio_t = exp(logp_t − old_t)}, with dual clip (PPO, GRPO). */
    VANILLA("vanilla"),
    /**
     * Per sequence (GSPO, Zheng et al. 2025): every token of sequence i takes
     * {@code s_i = exp(mean_t (logp_t − old_t))}, the log capped above at 10, no dual clip; its
     * gradient on token t is {@code s_i · ∇logp_t} (verl's {@code gspo} and TRL's
     * {@code importance_sampling_level="sequence"}). The paper clips at ε_low 3e-4, ε_high 4e-4
     * and averages tokens per sequence, then sequences ({@code seq-mean-token-mean}).
     */
    GSPO("gspo");

    private final String configName;

    PolicyLossMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static PolicyLossMode parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(mode -> mode.configName.equals(key)).findFirst()
                .orElseThrow(() -> VideoRlException.invalidConfiguration("unknown policy loss '" + name + "'; expected one of "
                        + Arrays.stream(values()).map(PolicyLossMode::configName).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return configName;
    }
}
