package ai.videorl.common.data;

import ai.videorl.common.metric.IntervalParser;
import ai.videorl.common.text.PythonText;

/**
 * A grounded-QA answer as written by a model or a dataset: {@code X <> [s, e]}.
 *
 * @param answer the text before the first {@code <>}, stripped
 * @param segment the first interval in the text after the {@code <>} (the last one, for a model's answer), or null
 */
public record GroundedText(String answer, Interval segment) {

    public static final String SEPARATOR = "<>";

    /** A dataset's solution: split at the first {@code <>}; null when the separator is missing. */
    public static GroundedText parse(String text) {
        int separator = text.indexOf(SEPARATOR);
        if (separator < 0) {
            return null;
        }
        return new GroundedText(PythonText.strip(text.substring(0, separator)),
                IntervalParser.first(text.substring(separator + SEPARATOR.length())));
    }

    /**
     * A model's answer, read as VideoAuto-R1's reward reads it: the answer is the text before the
     * first {@code <>}, the segment the first interval after the last one; without a {@code <>},
     * both come from the whole text (so "[2, 6]" alone still earns its IoU).
     */
    public static GroundedText ofPrediction(String text) {
        int first = text.indexOf(SEPARATOR);
        int last = text.lastIndexOf(SEPARATOR);
        String answer = first < 0 ? text : text.substring(0, first);
        String segment = last < 0 ? text : text.substring(last + SEPARATOR.length());
        return new GroundedText(PythonText.strip(answer), IntervalParser.first(segment));
    }
}
