package ai.videorl.cluster.generate;

import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.qwen.QwenFixtures;
import ai.videorl.cluster.model.qwen.QwenVideoOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code generate} on a Qwen2.5-VL checkpoint folder as a user has it (tiny random BF16 weights,
 * the real tokenizer, the released chat template and preprocessor config), a real MP4, against
 * transformers 4.57.6 on the same folder and video
 * ({@code scripts/qwen-processor-fixtures/generate_end_to_end.py}): the same prompt ids, frames,
 * grid and greedy response, log-probabilities within 1e-5.
 */
class QwenGeneratorTest {

    @TempDir
    Path directory;

    @Test
    void answersAsTransformersDoes() throws IOException {
        JsonNode expected = QwenFixtures.endToEndExpected();
        Path checkpoint = QwenFixtures.endToEndCheckpoint(directory);
        String video = QwenFixtures.endToEndVideo().toString();
        GenerateRequest request = new GenerateRequest(video, expected.get("system_prompt").asText(),
                expected.get("user_text").asText(), QwenVideoOptions.defaults().withFps(2.0).withMinPixels(3136),
                expected.get("max_new_tokens").asInt(), 0, 1, 0);
        GenerateResult result;
        try (PromptGenerator generator = PromptGenerators.open(checkpoint.toString(), null, ModelDtype.FLOAT32,
                directory.resolve("cache"), new Configuration())) {
            result = generator.generate(request);
        }
        assertArrayEquals(ints(expected.get("prompt_ids")), result.promptIds(), "prompt ids");
        assertArrayEquals(ints(expected.get("frame_indices")), result.frameIndices(), "frames");
        assertArrayEquals(ints(expected.get("video_grid_thw")), result.videoGridThw(), "grid");
        assertArrayEquals(ints(expected.get("response_ids")), result.responseIds(), "greedy response");
        assertEquals(expected.get("response").asText(), result.response());
        JsonNode logProbs = expected.get("logprobs");
        for (int k = 0; k < result.logProbs().length; k++) {
            assertEquals(logProbs.get(k).asDouble(), result.logProbs()[k], 1e-5, "log-prob " + k);
        }

        StringWriter json = new StringWriter();
        GenerateJson.write(result, json);
        JsonNode written = new ObjectMapper().readTree(json.toString());
        List<String> fields = StreamSupport.stream(((Iterable<String>) written::fieldNames).spliterator(), false).toList();
        assertEquals(List.of("prompt_ids", "response_ids", "response", "logprobs", "video_grid_thw", "frame_indices"), fields);
        assertTrue(json.toString().endsWith("\n"));
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
