package ai.videorl.cluster.model.qwen;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Qwen checkpoint's tokenizer: its {@code tokenizer.json} run by the Hugging Face tokenizers
 * library (DJL's binding), offline, giving the ids transformers' {@code Qwen2TokenizerFast} gives.
 * Built with truncation and padding off (DJL's default cuts at 512 tokens with only a warning) and
 * without added special tokens (Qwen adds none; its template writes them as text, and the
 * tokenizer matches them as whole tokens).
 *
 * <p>Closeable: it holds the native tokenizer. Thread-safe for encoding and decoding.
 */
public final class QwenTokenizer implements AutoCloseable {

    static final String TOKENIZER_FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;
    private final Path file;

    private QwenTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens, Path file) {
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.file = file;
    }

    /**
     * Loads {@code tokenizer.json} from a checkpoint folder.
     *
     * @throws VideoRlException naming the file when it is missing or not a tokenizer
     */
    public static QwenTokenizer load(Path checkpointDirectory) {
        Path file = checkpointDirectory.resolve(TOKENIZER_FILE);
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw VideoRlException.invalidConfiguration("no " + TOKENIZER_FILE + " in the checkpoint folder "
                    + checkpointDirectory + " (a Qwen checkpoint carries its tokenizer as " + file + ")");
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("cannot read the tokenizer " + file + ": " + e);
        }
        Map<String, Integer> added = addedTokens(json, file);
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            // DJL reports tokenizer use to its makers on EC2 unless told not to.
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        try (InputStream in = new ByteArrayInputStream(json)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new QwenTokenizer(tokenizer, added, file);
        } catch (IOException | RuntimeException e) {
            throw VideoRlException.invalidConfiguration("the tokenizer " + file + " does not load: " + e.getMessage());
        }
    }

    /** The text's token ids, no special tokens added, never truncated. */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /**
     * The text's token ids with each token's span of {@code text}: {@code [start, end)} as Java
     * string indexes (UTF-16 units). A token holding part of a character's bytes spans the whole
     * character, as Hugging Face's offsets do.
     */
    public EncodedText encodeWithOffsets(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] utf16 = codePointToUtf16(text);
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        for (int i = 0; i < spans.length; i++) {
            starts[i] = utf16[Math.min(spans[i].getStart(), utf16.length - 1)];
            ends[i] = utf16[Math.min(spans[i].getEnd(), utf16.length - 1)];
        }
        return new EncodedText(toInts(encoding.getIds()), starts, ends);
    }

    /** The text of {@code ids}, special tokens included, spaces as encoded. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}; without the special tokens' text when {@code skipSpecialTokens}, as HF's {@code skip_special_tokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    /**
     * The id of an added token of {@code tokenizer.json} ({@code <|im_start|>}, {@code <|video_pad|>}, ...).
     *
     * @throws VideoRlException naming the file when it has no such token
     */
    public int specialTokenId(String token) {
        Integer id = addedTokens.get(token);
        if (id == null) {
            throw VideoRlException.invalidConfiguration("the tokenizer " + file + " has no added token " + token
                    + " (it has " + addedTokens.keySet() + ")");
        }
        return id;
    }

    /** The added tokens of {@code tokenizer.json} and their ids, in file order. */
    public Map<String, Integer> specialTokens() {
        return addedTokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Token ids with their spans of the encoded text, {@code [starts[i], ends[i])} in UTF-16 units.
     *
     * @param ids the token ids
     * @param starts where each token's text starts
     * @param ends where each token's text ends
     */
    public record EncodedText(int[] ids, int[] starts, int[] ends) {

        public EncodedText {
            Objects.requireNonNull(ids, "ids");
            if (starts.length != ids.length || ends.length != ids.length) {
                throw new IllegalArgumentException(ids.length + " ids need as many starts and ends, got "
                        + starts.length + " and " + ends.length);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EncodedText that && Arrays.equals(ids, that.ids)
                    && Arrays.equals(starts, that.starts) && Arrays.equals(ends, that.ends);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return "EncodedText[" + ids.length + " tokens]";
        }
    }

    private static Map<String, Integer> addedTokens(byte[] json, Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("the tokenizer " + file + " is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("model").isObject()) {
            throw VideoRlException.invalidConfiguration("the tokenizer " + file
                    + " is not a Hugging Face tokenizer.json (no \"model\")");
        }
        Map<String, Integer> added = new LinkedHashMap<>();
        for (JsonNode token : root.path("added_tokens")) {
            added.put(token.path("content").asText(), token.path("id").asInt());
        }
        return Collections.unmodifiableMap(added);
    }

    /** For each code point index of {@code text} (and one past the end), its UTF-16 index. */
    private static int[] codePointToUtf16(String text) {
        int[] map = new int[text.codePointCount(0, text.length()) + 1];
        int index = 0;
        for (int i = 0; i < map.length - 1; i++) {
            map[i] = index;
            index += Character.charCount(text.codePointAt(index));
        }
        map[map.length - 1] = text.length();
        return map;
    }

    private static int[] toInts(long[] ids) {
        int[] ints = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ints[i] = Math.toIntExact(ids[i]);
        }
        return ints;
    }
}
