package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Qwen2.5-VL's processor for one video and a question, exact to qwen-vl-utils 0.0.14 plus
 * transformers 4.57.6's {@code Qwen2_5_VLProcessor}: the chat template rendered
 * ({@link ChatTemplate}), the video chosen, resized and cut into patches ({@link VideoPreprocessor}),
 * the template's one {@code <|video_pad|>} expanded to one per merged patch, and the text tokenized
 * ({@link QwenTokenizer}).
 *
 * <pre>{@code
 * try (QwenProcessor processor = QwenProcessor.load(checkpoint)) {
 *     QwenInputs inputs = processor.process(system, question, video, "clip.mp4",
 *             QwenVideoOptions.defaults().withFps(2.0).withMaxPixels(360 * 420));
 *     inputs.inputIds();            // input_ids, video placeholder expanded
 *     inputs.video().pixelValues(); // pixel_values_videos
 * }
 * }</pre>
 *
 * <p>Reads from the checkpoint folder: {@code tokenizer.json}, the chat template (see
 * {@link ChatTemplate#load}) and the video processor settings ({@link QwenPreprocessorConfig#load}).
 * Closeable: it holds the native tokenizer.
 */
public final class QwenProcessor implements AutoCloseable {

    /** The placeholder the template writes for a video, expanded to one per merged patch. */
    public static final String VIDEO_TOKEN = "<|video_pad|>";

    private final QwenTokenizer tokenizer;
    private final ChatTemplate template;
    private final VideoPreprocessor preprocessor;
    private final int videoTokenId;

    public QwenProcessor(QwenTokenizer tokenizer, ChatTemplate template, QwenPreprocessorConfig config) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.preprocessor = new VideoPreprocessor(config);
        this.videoTokenId = tokenizer.specialTokenId(VIDEO_TOKEN);
    }

    /**
     * The processor of a checkpoint folder.
     *
     * @throws VideoRlException naming the file that is missing or unusable
     */
    public static QwenProcessor load(Path checkpointDirectory) {
        ChatTemplate template = ChatTemplate.load(checkpointDirectory);
        QwenPreprocessorConfig config = QwenPreprocessorConfig.load(checkpointDirectory);
        QwenTokenizer tokenizer = QwenTokenizer.load(checkpointDirectory);
        try {
            return new QwenProcessor(tokenizer, template, config);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    public QwenTokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** The smallest frame, in pixels, qwen-vl-utils scales a video up to unless told otherwise. */
    public int defaultVideoMinPixels() {
        return preprocessor.defaultMinPixels();
    }

    public QwenPreprocessorConfig config() {
        return preprocessor.config();
    }

    /**
     * The model inputs for a video and a question: the prompt rendered from an optional system
     * message and a user message [video, text], with the generation prompt.
     *
     * @throws ai.videorl.cluster.video.VideoException when the video cannot be read
     * @throws VideoRlException when the reference would refuse the video or the template fails
     */
    public QwenInputs process(String systemPrompt, String userText, Path video, String location,
                              QwenVideoOptions options) {
        String prompt = template.renderVideoPrompt(systemPrompt, Objects.requireNonNull(userText, "userText"));
        QwenVideoInputs videoInputs = preprocessor.process(video, location, options);
        return new QwenInputs(prompt, encodePrompt(prompt, videoInputs), videoInputs);
    }

    /** Preprocesses a video alone. */
    public QwenVideoInputs processVideo(Path video, String location, QwenVideoOptions options) {
        return preprocessor.process(video, location, options);
    }

    /**
     * {@code input_ids} of a rendered prompt holding one {@code <|video_pad|>}: the placeholder
     * repeated {@link QwenVideoInputs#videoTokens()} times, then the whole text tokenized, as the
     * transformers processor expands it.
     *
     * @throws VideoRlException when the prompt holds no placeholder or more than one
     */
    public int[] encodePrompt(String prompt, QwenVideoInputs video) {
        int first = prompt.indexOf(VIDEO_TOKEN);
        if (first < 0 || prompt.indexOf(VIDEO_TOKEN, first + 1) >= 0) {
            throw VideoRlException.invalidInput("a prompt for one video needs exactly one " + VIDEO_TOKEN
                    + " (the chat template writes it for a {\"type\": \"video\"} part), got "
                    + (first < 0 ? "none" : "several"));
        }
        String expanded = prompt.substring(0, first) + VIDEO_TOKEN.repeat(video.videoTokens())
                + prompt.substring(first + VIDEO_TOKEN.length());
        int[] ids = tokenizer.encode(expanded);
        long placeholders = Arrays.stream(ids).filter(id -> id == videoTokenId).count();
        if (placeholders != video.videoTokens()) {
            throw VideoRlException.invalidInput("the prompt's text holds " + VIDEO_TOKEN + " of its own: " + placeholders
                    + " video tokens for a video of " + video.videoTokens());
        }
        return ids;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
