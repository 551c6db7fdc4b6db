package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tokenizer against transformers' Qwen2TokenizerFast on the same tokenizer.json (fixtures/tokenizer.json). */
class QwenTokenizerTest {

    @TempDir
    static Path directory;
    private static QwenTokenizer tokenizer;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = QwenTokenizer.load(QwenFixtures.checkpoint(directory));
        fixture = QwenFixtures.json("tokenizer.json");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void givesTransformersIdsForEveryText() {
        int checked = 0;
        for (JsonNode testCase : fixture.path("cases")) {
            String text = testCase.path("text").asText();
            assertArrayEquals(QwenFixtures.ints(testCase.path("ids")), tokenizer.encode(text), () -> "ids of " + brief(text));
            checked++;
        }
        assertEquals(11, checked);
    }

    @Test
    void neverTruncatesALongText() {
        JsonNode longest = fixture.path("cases").get(fixture.path("cases").size() - 1);
        int[] ids = tokenizer.encode(longest.path("text").asText());
        assertTrue(ids.length > 3000, "the long text gave " + ids.length + " tokens");
        assertEquals(longest.path("ids").size(), ids.length);
    }

    @Test
    void offsetsMatchTransformersAsJavaIndexes() {
        for (JsonNode testCase : fixture.path("cases")) {
            String text = testCase.path("text").asText();
            QwenTokenizer.EncodedText encoded = tokenizer.encodeWithOffsets(text);
            assertArrayEquals(QwenFixtures.ints(testCase.path("ids")), encoded.ids());
            JsonNode offsets = testCase.path("offsets");
            for (int i = 0; i < encoded.ids().length; i++) {
                // transformers reports Python string indexes (code points); ours are UTF-16 indexes.
                int start = text.offsetByCodePoints(0, offsets.get(i).get(0).asInt());
                int end = text.offsetByCodePoints(0, offsets.get(i).get(1).asInt());
                int token = i;
                assertEquals(start, encoded.starts()[i], () -> "start of token " + token + " of " + brief(text));
                assertEquals(end, encoded.ends()[i], () -> "end of token " + token + " of " + brief(text));
            }
        }
    }

    @Test
    void decodesAsTransformers() {
        for (JsonNode testCase : fixture.path("cases")) {
            assertEquals(testCase.path("decoded").asText(), tokenizer.decode(QwenFixtures.ints(testCase.path("ids"))),
                    () -> "decoding " + brief(testCase.path("text").asText()));
        }
    }

    @Test
    void namesSpecialTokens() {
        Iterator<Map.Entry<String, JsonNode>> special = fixture.path("special_tokens").fields();
        while (special.hasNext()) {
            Map.Entry<String, JsonNode> token = special.next();
            assertEquals(token.getValue().asInt(), tokenizer.specialTokenId(token.getKey()), token.getKey());
        }
        assertEquals(151656, tokenizer.specialTokenId("<|video_pad|>"));
        VideoRlException unknown = assertThrows(VideoRlException.class, () -> tokenizer.specialTokenId("<|nope|>"));
        assertTrue(unknown.getMessage().contains("<|nope|>") && unknown.getMessage().contains("tokenizer.json"),
                unknown.getMessage());
    }

    @Test
    void aMissingTokenizerIsNamed() throws IOException {
        Path empty = Files.createDirectories(directory.resolve("empty"));
        VideoRlException missing = assertThrows(VideoRlException.class, () -> QwenTokenizer.load(empty));
        assertTrue(missing.getMessage().contains(empty.resolve("tokenizer.json").toString()), missing.getMessage());
    }

    @Test
    void anUnreadableTokenizerIsNamed() throws IOException {
        Path broken = Files.createDirectories(directory.resolve("broken"));
        Files.writeString(broken.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": 7}}");
        VideoRlException notATokenizer = assertThrows(VideoRlException.class, () -> QwenTokenizer.load(broken));
        assertTrue(notATokenizer.getMessage().contains(broken.resolve("tokenizer.json").toString()), notATokenizer.getMessage());
        Files.writeString(broken.resolve("tokenizer.json"), "not json");
        VideoRlException notJson = assertThrows(VideoRlException.class, () -> QwenTokenizer.load(broken));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());
    }

    private static String brief(String text) {
        return text.length() > 40 ? "'" + text.substring(0, 40) + "...'" : "'" + text + "'";
    }
}
