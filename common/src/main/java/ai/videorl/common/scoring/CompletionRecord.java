package ai.videorl.common.scoring;

import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.TokenOffsets;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One line of a completions file: a sample's fields ({@link SampleJson}) plus {@code completion}
 * and optionally {@code token_offsets} ({@code [[start, end], …]} character offsets of the
 * policy's tokens, for exact segment lengths). Other fields are ignored.
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
        Sample sample = SampleJson.read(line);
        JsonNode completion = line.get("completion");
        if (completion == null || completion.isNull()) {
            throw VideoRlException.invalidField("completion", "missing");
        }
        if (!completion.isTextual()) {
            throw VideoRlException.invalidField("completion", "must be a string, got " + completion.getNodeType());
        }
        return new CompletionRecord(line.get("id"), sample, completion.asText(),
                tokenOffsets(line.get("token_offsets"), completion.asText()));
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
