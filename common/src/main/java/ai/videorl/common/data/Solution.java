package ai.videorl.common.data;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.metric.IntervalParser;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ground truth of a sample, in the shapes the public datasets use: a text answer, one or
 * several time intervals, or an answer grounded in a segment.
 */
public sealed interface Solution {

    /** The answer as a response would write it: the text, "[s, e]" or "X <> [s, e]". */
    String answerText();

    /** A textual (or numeric) answer: an option letter, a number, a phrase, an expression. */
    record Text(String answer) implements Solution {
        public Text {
            Objects.requireNonNull(answer, "answer");
        }

        @Override
        public String answerText() {
            return answer;
        }
    }

    /** Ground-truth intervals; a prediction scores its best IoU against any of them. */
    record Segments(List<Interval> intervals) implements Solution {
        public Segments {
            intervals = List.copyOf(intervals);
            if (intervals.isEmpty()) {
                throw new IllegalArgumentException("at least one interval is required");
            }
        }

        @Override
        public String answerText() {
            return bracketed(intervals.get(0));
        }
    }

    /** Grounded QA: an answer and the segment that shows it, written {@code X <> [s, e]}. */
    record Grounded(String answer, Interval segment) implements Solution {
        public Grounded {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(segment, "segment");
        }

        @Override
        public String answerText() {
            return answer + " " + GroundedText.SEPARATOR + " " + bracketed(segment);
        }
    }

    private static String bracketed(Interval interval) {
        return "[" + interval.start() + ", " + interval.end() + "]";
    }

    /**
     * Reads the {@code solution} field: a string or number, {@code [s, e]}, a list of
     * {@code [s, e]}, or {@code {"answer": …, "segment": [s, e]}}. Temporal grounding and
     * grounded QA also accept their textual forms ("[s, e]", "X <> [s, e]"). The shape must
     * suit the problem type; errors name the field.
     */
    static Solution fromJson(JsonNode node, ProblemType type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw VideoRlException.invalidField("solution", "missing");
        }
        return switch (type) {
            case TEMPORAL_GROUNDING -> segmentsFromJson(node);
            case GROUNDED_QA -> groundedFromJson(node);
            case MULTIPLE_CHOICE, NUMERICAL, REGRESSION, OCR, FREE_FORM, EXACT_MATCH, MATH -> {
                if (!node.isTextual() && !node.isNumber()) {
                    throw VideoRlException.invalidField("solution",
                            "a " + type + " solution must be a string or a number, got " + node.getNodeType());
                }
                yield new Text(node.asText());
            }
        };
    }

    private static Segments segmentsFromJson(JsonNode node) {
        if (node.isTextual()) {
            List<Interval> intervals = IntervalParser.all(node.asText());
            if (intervals.isEmpty()) {
                throw VideoRlException.invalidField("solution", "no interval found in \"" + node.asText() + "\"");
            }
            return new Segments(intervals);
        }
        if (node.isArray() && node.size() > 0 && node.get(0).isArray()) {
            List<Interval> intervals = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                intervals.add(intervalFromJson(node.get(i), "solution[" + i + "]"));
            }
            return new Segments(intervals);
        }
        return new Segments(List.of(intervalFromJson(node, "solution")));
    }

    private static Grounded groundedFromJson(JsonNode node) {
        if (node.isTextual()) {
            GroundedText parsed = GroundedText.parse(node.asText());
            if (parsed == null || parsed.segment() == null) {
                throw VideoRlException.invalidField("solution",
                        "a grounded_qa solution must be written \"X <> [s, e]\", got \"" + node.asText() + "\"");
            }
            return new Grounded(parsed.answer(), parsed.segment());
        }
        if (!node.isObject()) {
            throw VideoRlException.invalidField("solution",
                    "a grounded_qa solution must be {\"answer\": …, \"segment\": [s, e]}, got " + node.getNodeType());
        }
        JsonNode answer = node.get("answer");
        if (answer == null || !(answer.isTextual() || answer.isNumber())) {
            throw VideoRlException.invalidField("solution.answer", "missing or not a string");
        }
        return new Grounded(answer.asText(), intervalFromJson(node.get("segment"), "solution.segment"));
    }

    /** Reads {@code [s, e]} (either order), naming {@code field} in errors. */
    static Interval intervalFromJson(JsonNode node, String field) {
        if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).isNumber() || !node.get(1).isNumber()) {
            throw VideoRlException.invalidField(field, "expected [start, end] in seconds, got " + node);
        }
        double a = node.get(0).asDouble();
        double b = node.get(1).asDouble();
        if (!Double.isFinite(a) || !Double.isFinite(b) || a < 0 || b < 0) {
            throw VideoRlException.invalidField(field, "times must be finite and non-negative, got " + node);
        }
        return Interval.between(a, b);
    }
}
