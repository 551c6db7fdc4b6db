package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.common.data.Sample;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.text.TokenOffsets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Qwen2.5-VL's processor as a {@link PolicyProcessor}: each sample's question and options, then the
 * recipe's instructions, as the user message after its video, rendered by the checkpoint's chat
 * template; videos preprocessed as qwen-vl-utils does; text decoded without special tokens. A
 * response ends with {@code <|im_end|>}, the end of the assistant's turn.
 */
public final class QwenPolicyProcessor implements PolicyProcessor {

    /** The token the chat template ends every turn with. */
    public static final String END_OF_TURN = "<|im_end|>";

    private final QwenProcessor processor;
    private final String systemPrompt;
    private final String instructions;
    private final QwenVideoOptions videoOptions;
    private final Function<String, Path> localVideo;
    private final int endOfTurn;

    /**
     * @param systemPrompt the system message, or null for the template's default
     * @param instructions what follows the question in the user message (the recipe's output format), or empty
     * @param localVideo a local file holding the video at a location
     */
    public QwenPolicyProcessor(QwenProcessor processor, String systemPrompt, String instructions, QwenVideoOptions videoOptions,
                               Function<String, Path> localVideo) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.systemPrompt = systemPrompt;
        this.instructions = Objects.requireNonNull(instructions, "instructions");
        this.videoOptions = Objects.requireNonNull(videoOptions, "videoOptions");
        this.localVideo = Objects.requireNonNull(localVideo, "localVideo");
        this.endOfTurn = processor.tokenizer().specialTokenId(END_OF_TURN);
    }

    /** The user message of {@code sample}: its question and options, then the instructions. */
    public String userText(Sample sample) {
        String question = PromptLayout.text(sample);
        return instructions.isEmpty() ? question : question + "\n" + instructions;
    }

    /**
     * Batches of consecutive samples: rows of any length go together (left-padded), and each distinct
     * video of a batch is read and preprocessed once.
     */
    @Override
    public List<Batch> batches(List<Sample> samples, int maxRows, Function<Sample, String> sharedBy) {
        List<Batch> batches = new ArrayList<>();
        for (int start = 0; start < samples.size(); start += maxRows) {
            int end = Math.min(samples.size(), start + maxRows);
            Map<String, Integer> videoIndex = new HashMap<>();
            List<QwenVideoInputs> videos = new ArrayList<>();
            int[][] prompts = new int[end - start][];
            int[] videoOfRow = new int[end - start];
            int[] rows = new int[end - start];
            for (int row = start; row < end; row++) {
                Sample sample = samples.get(row);
                int video = videoIndex.computeIfAbsent(sample.video(), location -> {
                    videos.add(processor.processVideo(localVideo.apply(location), location, videoOptions));
                    return videos.size() - 1;
                });
                String prompt = processor.template().renderVideoPrompt(systemPrompt, userText(sample));
                prompts[row - start] = processor.encodePrompt(prompt, videos.get(video));
                videoOfRow[row - start] = video;
                rows[row - start] = row;
            }
            batches.add(new Batch(rows, new QwenPolicyInputs(prompts, videos, videoOfRow)));
        }
        return batches;
    }

    /** One prompt about one video (the command line's generate). */
    public QwenPolicyInputs inputs(String userText, String location) {
        QwenVideoInputs video = processor.processVideo(localVideo.apply(location), location, videoOptions);
        int[] prompt = processor.encodePrompt(processor.template().renderVideoPrompt(systemPrompt, userText), video);
        return new QwenPolicyInputs(new int[][] {prompt}, List.of(video), new int[1]);
    }

    @Override
    public TokenOffsets tokenize(String text) {
        QwenTokenizer.EncodedText encoded = processor.tokenizer().encodeWithOffsets(text);
        return TokenOffsets.of(encoded.starts(), encoded.ends(), text.length());
    }

    @Override
    public String decode(int[] ids) {
        return processor.tokenizer().decode(ids, true);
    }

    /**
     * Each token's span of {@link #decode}'s text. The tokens since the last complete character are
     * decoded together (byte-level pieces concatenate), so the cost is linear in the response: a
     * token that ends inside a character spans the complete characters it adds, the token that
     * completes the character spans the rest of it, and a special token spans nothing.
     */
    @Override
    public TokenOffsets offsets(int[] ids) {
        String text = decode(ids);
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        int anchor = 0;
        int anchorEnd = 0;
        int previous = 0;
        for (int k = 0; k < ids.length; k++) {
            String piece = decode(Arrays.copyOfRange(ids, anchor, k + 1));
            int end = anchorEnd;
            int limit = Math.min(anchorEnd + piece.length(), text.length());
            while (end < limit && piece.charAt(end - anchorEnd) == text.charAt(end)) {
                end++;
            }
            if (end == anchorEnd + piece.length()) {
                // Every character of the window is complete: the next window starts after it.
                anchor = k + 1;
                anchorEnd = end;
            }
            starts[k] = previous;
            ends[k] = Math.max(previous, end);
            previous = ends[k];
        }
        return TokenOffsets.of(starts, ends, text.length());
    }

    @Override
    public int tokenId(String piece) {
        Integer id = processor.tokenizer().specialTokens().get(piece);
        if (id != null) {
            return id;
        }
        int[] ids = processor.tokenizer().encode(piece);
        return ids.length == 1 ? ids[0] : -1;
    }

    /** The generated tokens already end with the end token the policy drew; a cut response has none. */
    @Override
    public int[] responseTargets(int[] generated, boolean finished) {
        return generated.length == 0 ? new int[] {endOfTurn} : generated;
    }

    @Override
    public int[] referenceTargets(String reference) {
        int[] ids = processor.tokenizer().encode(reference);
        int[] withEnd = Arrays.copyOf(ids, ids.length + 1);
        withEnd[ids.length] = endOfTurn;
        return withEnd;
    }
}
