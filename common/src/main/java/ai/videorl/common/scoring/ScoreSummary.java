package ai.videorl.common.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scoring run saw: lines read, lines in error, each term's mean over the scored lines, and
 * what the judge could not score.
 *
 * @param lines lines read
 * @param errors lines that could not be scored
 * @param means each term's mean over the scored lines, in column order
 * @param unavailable by term, the rollouts a judge gave no verdict for (they score 0 there)
 * @param dropped rollouts left out of an update under the drop policy
 */
public record ScoreSummary(long lines, long errors, Map<String, Double> means, Map<String, Long> unavailable, long dropped) {

    public ScoreSummary {
        means = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(means));
        unavailable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unavailable));
    }

    public long scored() {
        return lines - errors;
    }

    /** A few lines for the console. */
    public String format() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%d lines: %d scored, %d errors%n", lines, scored(), errors));
        int width = means.keySet().stream().mapToInt(String::length).max().orElse(0);
        means.forEach((term, mean) -> out.append(String.format(Locale.ROOT, "  mean %-" + width + "s %.4f%n", term, mean)));
        unavailable.forEach((term, count) -> out.append(String.format(Locale.ROOT,
                "  %d rollouts without a %s verdict (scored 0)%n", count, term)));
        if (dropped > 0) {
            out.append(String.format(Locale.ROOT, "  %d rollouts dropped%n", dropped));
        }
        return out.toString();
    }

    /** Accumulates per-term sums as batches are scored. */
    static final class Builder {
        private final List<String> terms;
        private final double[] sums;
        private final Map<String, Long> unavailable = new LinkedHashMap<>();
        private long lines;
        private long errors;
        private long dropped;

        Builder(List<String> terms) {
            this.terms = List.copyOf(terms);
            this.sums = new double[terms.size()];
        }

        void line() {
            lines++;
        }

        void error() {
            errors++;
        }

        void dropped() {
            dropped++;
        }

        void unavailable(Map<String, Integer> counts) {
            counts.forEach((term, count) -> unavailable.merge(term, (long) count, Long::sum));
        }

        void add(int term, double value) {
            sums[term] += value;
        }

        ScoreSummary build() {
            long scored = lines - errors;
            Map<String, Double> means = new LinkedHashMap<>();
            for (int i = 0; i < terms.size(); i++) {
                means.put(terms.get(i), scored == 0 ? 0 : sums[i] / scored);
            }
            return new ScoreSummary(lines, errors, means, unavailable, dropped);
        }
    }
}
