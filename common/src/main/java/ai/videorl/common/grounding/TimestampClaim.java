package ai.videorl.common.grounding;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * A statement tied to a moment or span of the video: {@code 00:03 → "a red circle appears"}.
 *
 * @param start seconds, whole (times are rounded as the reference sanitises them)
 * @param end seconds, {@code >= start}; equal for a point in time
 * @param sentence what is claimed, trimmed
 */
public record TimestampClaim(long start, long end, String sentence) {

    /** By midpoint, as Video-R2's reference orders claims (a stable sort keeps ties in their order). */
    public static final Comparator<TimestampClaim> BY_MIDPOINT = Comparator.comparingLong(claim -> claim.start() + claim.end());

    public TimestampClaim {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a time span: " + start + " to " + end);
        }
        Objects.requireNonNull(sentence, "sentence");
    }

    /** Whether the spans overlap once each is widened by {@code buffer} seconds on both sides. */
    public boolean overlaps(TimestampClaim other, double buffer) {
        return start - buffer <= other.end + buffer && other.start - buffer <= end + buffer;
    }

    /** The key as the reference writes it: zero-padded MM:SS (HH:MM:SS from an hour), a range when start ≠ end. */
    public String key() {
        return start == end ? clock(start) : clock(start) + "-" + clock(end);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
