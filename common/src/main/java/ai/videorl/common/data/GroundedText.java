package ai.videorl.common.data;

import ai.videorl.common.metric.IntervalParser;

/**
 * A grounded-QA answer as written by a model or a dataset: {@code X <> [s, e]}.
 *
 * @param answer the text before the first {@code <>}, trimmed
 * @param segment the first interval after it, or null when there is none
 */
public record GroundedText(String answer, Interval segment) {

    public static final String SEPARATOR = "<>";

    /** Splits at the first {@code <>}; null when the separator is missing. */
    public static GroundedText parse(String text) {
        int separator = text.indexOf(SEPARATOR);
        if (separator < 0) {
            return null;
        }
        return new GroundedText(text.substring(0, separator).trim(),
                IntervalParser.first(text.substring(separator + SEPARATOR.length())));
    }
}
