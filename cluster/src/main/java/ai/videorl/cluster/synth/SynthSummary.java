package ai.videorl.cluster.synth;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a synth run wrote.
 *
 * @param out where the benchmark is
 * @param videos MP4 files written
 * @param samplesByType manifest lines per problem type, in the order first written
 * @param videoBytes the MP4 files' total size
 * @param wallTime from start to the last file in place
 */
public record SynthSummary(String out, int videos, Map<String, Integer> samplesByType, long videoBytes,
                           Duration wallTime) {

    public SynthSummary {
        Objects.requireNonNull(out, "out");
        samplesByType = Collections.unmodifiableMap(new LinkedHashMap<>(samplesByType));
        Objects.requireNonNull(wallTime, "wallTime");
    }

    public int samples() {
        return samplesByType.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One line for people: "1000 videos, 5000 samples (multiple_choice 1000, …), 3.1 MB of video in 12.3 s -> DIR". */
    public String format() {
        String types = samplesByType.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        String size = videoBytes < 1_000_000 ? String.format(Locale.ROOT, "%.0f kB", videoBytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", videoBytes / 1e6);
        return String.format(Locale.ROOT, "%d videos, %d samples (%s), %s of video in %.1f s -> %s",
                videos, samples(), types, size, wallTime.toMillis() / 1000.0, out);
    }
}
