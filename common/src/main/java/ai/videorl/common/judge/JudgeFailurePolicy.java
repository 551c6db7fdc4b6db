package ai.videorl.common.judge;

import ai.videorl.common.error.VideoRlException;

import java.util.Locale;

/** What a term does with a rollout whose verdict is unavailable (the judge failed after its retries). */
public enum JudgeFailurePolicy {
    /** The term scores 0 and the rollout trains as usual. */
    SCORE_ZERO,
    /** The term scores 0 and the rollout is left out of the update. */
    DROP_ROLLOUT;

    /** {@code zero} or {@code drop}. */
    public static JudgeFailurePolicy parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "zero" -> SCORE_ZERO;
            case "drop" -> DROP_ROLLOUT;
            default -> throw VideoRlException.invalidConfiguration("judge failure policy must be zero or drop, got '" + name + "'");
        };
    }
}
