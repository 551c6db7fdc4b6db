package ai.videorl.common.synth;

import ai.videorl.common.data.Interval;

import java.util.List;
import java.util.Locale;

/** How synthetic questions, claims and responses write times, intervals and lists. */
final class SynthText {

    private SynthText() {
    }

    /** A time on the 0.5 s grid as answers write it: "1.5", "3.0". */
    static String seconds(double time) {
        return String.format(Locale.ROOT, "%.1f", time);
    }

    /** An interval as answers write it: "[1.5, 3.0]". */
    static String interval(Interval interval) {
        return "[" + seconds(interval.start()) + ", " + seconds(interval.end()) + "]";
    }

    /** "from 1.5 s to 3.0 s": how observations state when a shape is visible. */
    static String fromTo(SceneShape shape) {
        return "from " + seconds(shape.appear()) + " s to " + seconds(shape.disappear()) + " s";
    }

    /** Whole seconds as a zero-padded clock, "MM:SS" (videos are shorter than an hour). */
    static String clock(long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * The claim key covering {@code [start, end]} in whole seconds, "MM:SS-MM:SS": start rounded
     * down, end rounded up, so the range always contains the interval.
     */
    static String clockRange(double start, double end) {
        return clock((long) Math.floor(start)) + "-" + clock((long) Math.ceil(end));
    }

    /** "a", "a and b", "a, b and c". */
    static String list(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
