package ai.videorl.cluster.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code generate --json}: exactly {@code prompt_ids}, {@code response_ids}, {@code response},
 * {@code logprobs} (float32 values), {@code video_grid_thw} and {@code frame_indices}.
 */
public final class GenerateJson {

    // The caller owns the writer: closing the generator must not close it.
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private GenerateJson() {
    }

    /** Writes one line; leaves {@code out} open. */
    public static void write(GenerateResult result, Writer out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("prompt_ids");
            json.writeArray(result.promptIds(), 0, result.promptIds().length);
            json.writeFieldName("response_ids");
            json.writeArray(result.responseIds(), 0, result.responseIds().length);
            json.writeStringField("response", result.response());
            json.writeArrayFieldStart("logprobs");
            for (float logProb : result.logProbs()) {
                json.writeNumber(logProb);
            }
            json.writeEndArray();
            json.writeFieldName("video_grid_thw");
            json.writeArray(result.videoGridThw(), 0, result.videoGridThw().length);
            json.writeFieldName("frame_indices");
            json.writeArray(result.frameIndices(), 0, result.frameIndices().length);
            json.writeEndObject();
        }
        out.write('\n');
    }
}
