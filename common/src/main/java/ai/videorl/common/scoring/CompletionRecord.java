package ai.videorl.common.scoring;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.TokenOffsets;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of a completions file: a sample's fields plus the completion to score. Fields:
 * {@code id} (string or number), {@code problem_type}, {@code solution}, {@code completion},
 * and optionally {@code problem}, {@code options} and {@code token_offsets} ({@code [[start,
 * end], …]} character offsets of the policy's tokens, for exact segment lengths). Other fields
 * are ignored.
 *
 * @param id the id as written (string or number), echoed into the output
 * @param sample the sample
 * @param completion the text to score
 * @param tokens the given token offsets, or null
 */
public record CompletionRecord(JsonNode id, Sample sample, String completion, TokenOffsets tokens) {

    public CompletionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(completion, "completion");
    }

    /** Reads a record from a parsed JSON line; errors name the field. */
    public static CompletionRecord fromJson(JsonNode line) {
        if (!line.isObject()) {
            throw VideoRlException.invalidInput("expected a JSON object, got " + line.getNodeType());
        }
        JsonNode id = line.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            throw VideoRlException.invalidField("id", id == null ? "missing" : "must be a string or an integer");
        }
        ProblemType type = ProblemType.parse(requiredText(line, "problem_type"));
        Solution solution = Solution.fromJson(line.get("solution"), type);
        String completion = requiredText(line, "completion");
        Sample sample = new Sample(id.asText(), optionalText(line, "problem"), type, options(line), solution);
        return new CompletionRecord(id, sample, completion, tokenOffsets(line.get("token_offsets"), completion));
    }

    private static String requiredText(JsonNode line, String field) {
        JsonNode node = line.get(field);
        if (node == null || node.isNull()) {
            throw VideoRlException.invalidField(field, "missing");
        }
        if (!node.isTextual()) {
            throw VideoRlException.invalidField(field, "must be a string, got " + node.getNodeType());
        }
        return node.asText();
    }

    private static String optionalText(JsonNode line, String field) {
        JsonNode node = line.get(field);
        return node == null || node.isNull() ? "" : requiredText(line, field);
    }

    private static List<String> options(JsonNode line) {
        JsonNode node = line.get("options");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw VideoRlException.invalidField("options", "must be a list of strings");
        }
        List<String> options = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw VideoRlException.invalidField("options[" + i + "]", "must be a string");
            }
            options.add(node.get(i).asText());
        }
        return options;
    }

    private static TokenOffsets tokenOffsets(JsonNode node, String completion) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw VideoRlException.invalidField("token_offsets", "must be a list of [start, end] pairs");
        }
        int[] starts = new int[node.size()];
        int[] ends = new int[node.size()];
        for (int i = 0; i < node.size(); i++) {
            JsonNode pair = node.get(i);
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isInt() || !pair.get(1).isInt()) {
                throw VideoRlException.invalidField("token_offsets[" + i + "]", "must be [start, end], got " + pair);
            }
            starts[i] = pair.get(0).asInt();
            ends[i] = pair.get(1).asInt();
        }
        try {
            return TokenOffsets.of(starts, ends, completion.length());
        } catch (IllegalArgumentException e) {
            throw VideoRlException.invalidField("token_offsets", e.getMessage());
        }
    }
}
