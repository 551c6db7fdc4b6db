package ai.videorl.common.grounding;

import java.util.List;
import java.util.Objects;

/**
 * Reads the timestamped claims of reasoning texts, a batch at a time: deterministically
 * ({@link #RULES}, the default) or by asking an LLM, as Video-R2's reference does.
 */
@FunctionalInterface
public interface ClaimExtractor {

    /** The deterministic parser ({@link ClaimParser}); it never fails. */
    ClaimExtractor RULES = texts -> texts.stream().map(text -> Extraction.of(ClaimParser.fromText(text))).toList();

    /** One extraction per text, in order. */
    List<Extraction> extract(List<String> texts);

    /**
     * The claims of one text, or why there are none to trust (the service failed).
     *
     * @param claims the claims; empty on failure
     * @param failure null on success, else the reason
     */
    record Extraction(List<TimestampClaim> claims, String failure) {
        public Extraction {
            claims = List.copyOf(claims);
        }

        public static Extraction of(List<TimestampClaim> claims) {
            return new Extraction(claims, null);
        }

        public static Extraction failed(String reason) {
            return new Extraction(List.of(), Objects.requireNonNull(reason, "reason"));
        }

        public boolean failed() {
            return failure != null;
        }
    }
}
