package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A checkpoint's chat template, rendered with Jinjava as transformers renders it with Jinja2
 * ({@code apply_chat_template(messages, tokenize=False, add_generation_prompt=True)}: a sandboxed
 * environment with {@code trim_blocks} and {@code lstrip_blocks}, undefined names empty and false,
 * {@code raise_exception} for the template's own errors).
 *
 * <p>Where the template is found, in this order: {@code chat_template.json}'s
 * {@code "chat_template"}, then {@code chat_template.jinja} (the order transformers 4.57's
 * processors read them: the legacy JSON file wins when both exist), then
 * {@code processor_config.json}'s {@code "chat_template"}, then {@code tokenizer_config.json}'s
 * {@code "chat_template"} (the tokenizer's own, which {@code tokenizer.apply_chat_template} uses;
 * a 4.57 processor without a template of its own refuses instead).
 *
 * <p>Thread-safe: every render has its own interpreter.
 */
public final class ChatTemplate {

    static final String PROCESSOR_TEMPLATE_JSON = "chat_template.json";
    static final String TEMPLATE_JINJA = "chat_template.jinja";
    static final String PROCESSOR_CONFIG = "processor_config.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    /** Spaces and tabs from a line's start up to a block or comment tag (see {@link #lstripBlocks}). */
    private static final Pattern LEADING_BLANKS_BEFORE_TAG =
            Pattern.compile("(?m)^[ \\t]+(?=\\{%(?!\\+)|\\{#)");

    private final String template;
    private final String prepared;
    private final String source;
    private final Jinjava jinjava;

    private ChatTemplate(String template, String source) {
        this.template = template;
        this.source = source;
        this.prepared = lstripBlocks(template);
        this.jinjava = newJinjava();
    }

    /** The template text {@code template}; {@code source} names it in errors. */
    public static ChatTemplate of(String template, String source) {
        return new ChatTemplate(Objects.requireNonNull(template, "template"), Objects.requireNonNull(source, "source"));
    }

    /**
     * The chat template of a checkpoint folder (see the class comment for the order).
     *
     * @throws VideoRlException naming the file when a file is unreadable or holds no template, or
     *     naming the folder when none of the files exists
     */
    public static ChatTemplate load(Path checkpointDirectory) {
        Path json = checkpointDirectory.resolve(PROCESSOR_TEMPLATE_JSON);
        if (Files.isRegularFile(json)) {
            return new ChatTemplate(templateField(json), json.toString());
        }
        Path jinja = checkpointDirectory.resolve(TEMPLATE_JINJA);
        if (Files.isRegularFile(jinja)) {
            try {
                return new ChatTemplate(Files.readString(jinja, StandardCharsets.UTF_8), jinja.toString());
            } catch (IOException e) {
                throw VideoRlException.invalidConfiguration("cannot read the chat template " + jinja + ": " + e);
            }
        }
        for (String name : List.of(PROCESSOR_CONFIG, TOKENIZER_CONFIG)) {
            Path config = checkpointDirectory.resolve(name);
            if (Files.isRegularFile(config) && readJson(config).path("chat_template").isTextual()) {
                return new ChatTemplate(templateField(config), config.toString());
            }
        }
        throw VideoRlException.invalidConfiguration("no chat template in " + checkpointDirectory + ": looked for "
                + PROCESSOR_TEMPLATE_JSON + ", " + TEMPLATE_JINJA + " and a \"chat_template\" in " + PROCESSOR_CONFIG
                + " or " + TOKENIZER_CONFIG);
    }

    /** The template's text. */
    public String text() {
        return template;
    }

    /** Where the template came from. */
    public String source() {
        return source;
    }

    /**
     * The prompt for one video and a question: an optional system message, then a user message
     * whose content is {@code [{"type": "video"}, {"type": "text", "text": userText}]}, then the
     * generation prompt.
     */
    public String renderVideoPrompt(String systemPrompt, String userText) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (systemPrompt != null) {
            messages.add(Map.of("role", "system", "content", systemPrompt));
        }
        messages.add(Map.of("role", "user", "content", List.of(
                Map.of("type", "video"), Map.of("type", "text", "text", userText))));
        return render(messages, true, Map.of());
    }

    /**
     * Renders {@code messages} (maps and lists as JSON would give them: {@code role},
     * {@code content} as a string or a list of parts) with {@code add_generation_prompt} and any
     * further template variables ({@code add_vision_id}, say).
     *
     * @throws VideoRlException naming the template's source when it fails to render
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = jinjava.renderForResult(prepared, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL)
                .collect(Collectors.toList());
        if (!fatal.isEmpty()) {
            throw VideoRlException.invalidConfiguration("the chat template " + source + " fails to render: "
                    + fatal.stream().map(ChatTemplate::describe).collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }

    private static String describe(TemplateError error) {
        StringBuilder text = new StringBuilder(error.getMessage());
        for (Throwable cause = error.getException(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        if (error.getLineno() > 0) {
            text.append(" (line ").append(error.getLineno()).append(')');
        }
        return text.toString();
    }

    /**
     * Jinja2's {@code lstrip_blocks}: spaces and tabs from the start of a line up to a block or
     * comment tag ({@code {%} or {@code {#}, not {@code {%+}) are dropped. Done on the source
     * because Jinjava's own option also strips spaces before a tag in the middle of a line
     * ({@code Video {{ n }}: {% endif %}} lost its last space).
     */
    static String lstripBlocks(String template) {
        return LEADING_BLANKS_BEFORE_TAG.matcher(template).replaceAll("");
    }


    /**
     * Jinjava set up to render as Jinja2 does for transformers: trim blocks (lstrip blocks is done
     * on the source, {@link #lstripBlocks}), Python's operator precedence, strict whitespace
     * control, {@code None} kept in loops.
     */
    private static Jinjava newJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                // Message text is data: never render "{{ ... }}" or "{% ... %}" found inside it.
                .withNestedInterpretationEnabled(false)
                .withLstripBlocks(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                "raiseException", String.class));
        return jinjava;
    }

    private static String templateField(Path file) {
        JsonNode field = readJson(file).path("chat_template");
        if (!field.isTextual()) {
            throw VideoRlException.invalidConfiguration("the chat template file " + file
                    + " has no \"chat_template\" string");
        }
        return field.asText();
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            return node == null ? new ObjectMapper().createObjectNode() : node;
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("cannot read " + file + " as JSON: " + e.getMessage());
        }
    }

    /** Functions transformers gives chat templates. */
    public static final class TemplateFunctions {

        private TemplateFunctions() {
        }

        /** The template's own refusal ({@code {{ raise_exception("...") }}}). */
        public static String raiseException(String message) {
            throw new IllegalStateException("the template raised: " + message);
        }
    }

    /** A message as a map, for {@link #render}. */
    public static Map<String, Object> message(String role, Object content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("content", content);
        return message;
    }
}
