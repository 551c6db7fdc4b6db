package ai.videorl.common.data;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** One line of a JSONL file (a manifest, completions to score) as a JSON value. */
public final class JsonLines {

    // A reader, not the mapper: ObjectMapper.readTree resolves the tree's type again on every call.
    private static final ObjectReader JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();

    private JsonLines() {
    }

    /** @throws VideoRlException (bad input) "empty line" or "not valid JSON: …" */
    public static JsonNode parse(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            if (json == null || json.isMissingNode()) {
                throw VideoRlException.invalidInput("empty line");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw VideoRlException.invalidInput("not valid JSON: " + e.getOriginalMessage());
        }
    }
}
