package ai.videorl.common.judge;

import java.util.Objects;

/**
 * A judge's answer to one question: yes or no, or unavailable (the service failed after its
 * retries, or its reply had no verdict) with the reason — the term's failure policy decides what
 * an unavailable verdict scores.
 *
 * @param available whether there is a verdict
 * @param yes the verdict; false when unavailable
 * @param detail the judge's explanation, or why there is no verdict
 */
public record Verdict(boolean available, boolean yes, String detail) {

    public Verdict {
        Objects.requireNonNull(detail, "detail");
    }

    public static Verdict of(boolean yes, String explanation) {
        return new Verdict(true, yes, explanation);
    }

    public static Verdict unavailable(String reason) {
        return new Verdict(false, false, reason);
    }
}
