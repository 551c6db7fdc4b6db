package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Renders against transformers' apply_chat_template with the Qwen2.5-VL template (fixtures/templates.json). */
class ChatTemplateTest {

    @TempDir
    Path directory;

    private static ChatTemplate qwenTemplate() {
        return ChatTemplate.load(QwenFixtures.ROOT.resolve("checkpoint"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rendersByteIdenticalToTransformers() {
        ChatTemplate template = qwenTemplate();
        int checked = 0;
        for (JsonNode testCase : QwenFixtures.json("templates.json").path("cases")) {
            List<Map<String, Object>> messages = (List<Map<String, Object>>) QwenFixtures.plain(testCase.path("messages"));
            Map<String, Object> variables = new HashMap<>((Map<String, Object>) QwenFixtures.plain(testCase.path("kwargs")));
            boolean addGenerationPrompt = (Boolean) variables.remove("add_generation_prompt");
            ChatTemplate used = testCase.has("template")
                    ? ChatTemplate.of(testCase.path("template").asText(), testCase.path("name").asText()) : template;
            assertEquals(testCase.path("rendered").asText(), used.render(messages, addGenerationPrompt, variables),
                    testCase.path("name").asText());
            checked++;
        }
        assertEquals(9, checked);
    }

    @Test
    void rendersTheVideoPromptOfAProcessorCase() {
        JsonNode expected = QwenFixtures.json("cases/fps2/expected.json");
        assertEquals(expected.path("prompt").asText(), qwenTemplate().renderVideoPrompt(
                expected.path("system_prompt").asText(), expected.path("user_text").asText()));
    }

    @Test
    void findsTheTemplateAsTransformersDoes() throws IOException {
        Path checkpoint = Files.createDirectories(directory.resolve("checkpoint"));
        Files.writeString(checkpoint.resolve("tokenizer_config.json"), "{\"chat_template\": \"tokenizer\"}");
        assertEquals("tokenizer", ChatTemplate.load(checkpoint).text());
        Files.writeString(checkpoint.resolve("chat_template.jinja"), "jinja");
        assertEquals("jinja", ChatTemplate.load(checkpoint).text());
        Files.writeString(checkpoint.resolve("chat_template.json"), "{\"chat_template\": \"json\"}");
        assertEquals("json", ChatTemplate.load(checkpoint).text());
        assertTrue(ChatTemplate.load(checkpoint).source().endsWith("chat_template.json"));
    }

    @Test
    void aMissingTemplateNamesTheFolder() {
        VideoRlException missing = assertThrows(VideoRlException.class, () -> ChatTemplate.load(directory));
        assertTrue(missing.getMessage().contains(directory.toString()), missing.getMessage());
    }

    @Test
    void aTemplateThatFailsNamesItsFile() throws IOException {
        Path checkpoint = Files.createDirectories(directory.resolve("bad"));
        Path file = checkpoint.resolve("chat_template.jinja");
        Files.writeString(file, "{% for message in messages %}{{ message.role }");
        VideoRlException syntax = assertThrows(VideoRlException.class,
                () -> ChatTemplate.load(checkpoint).renderVideoPrompt("system", "question"));
        assertTrue(syntax.getMessage().contains(file.toString()), syntax.getMessage());

        Files.writeString(file, "{% if messages|length > 1 %}{{ raise_exception('one message only') }}{% endif %}");
        VideoRlException raised = assertThrows(VideoRlException.class,
                () -> ChatTemplate.load(checkpoint).renderVideoPrompt("system", "question"));
        assertTrue(raised.getMessage().contains(file.toString()) && raised.getMessage().contains("one message only"),
                raised.getMessage());

        Files.writeString(checkpoint.resolve("chat_template.json"), "{\"template\": \"wrong key\"}");
        VideoRlException wrongKey = assertThrows(VideoRlException.class, () -> ChatTemplate.load(checkpoint));
        assertTrue(wrongKey.getMessage().contains("chat_template.json"), wrongKey.getMessage());
    }
}
