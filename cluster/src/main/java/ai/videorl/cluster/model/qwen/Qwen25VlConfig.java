package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A Qwen2.5-VL checkpoint's {@code config.json}, every setting the model needs read from the
 * file: released checkpoints keep the language model's keys flat at the top, newer saves nest
 * them under {@code text_config} (read first when present); class defaults differ from released
 * values, so a missing key the model needs is an error, never a default.
 *
 * @param text the language model
 * @param vision the vision tower
 * @param videoTokenId {@code <|video_pad|>}, one per merged video patch
 * @param imageTokenId {@code <|image_pad|>}
 * @param visionStartTokenId {@code <|vision_start|>}, before each video's pads
 * @param visionEndTokenId {@code <|vision_end|>}
 */
public record Qwen25VlConfig(Text text, Vision vision, int videoTokenId, int imageTokenId, int visionStartTokenId,
                             int visionEndTokenId) {

    public static final String MODEL_TYPE = "qwen2_5_vl";

    /**
     * The language model (Qwen2 with multimodal rotary positions).
     *
     * @param mropeSection rotary channel pairs given to the time, height and width positions; sums to headDim / 2
     */
    public record Text(int vocabularySize, int hiddenSize, int intermediateSize, int layers, int heads, int keyValueHeads,
                       double rmsNormEpsilon, double ropeTheta, int[] mropeSection, boolean tiedEmbeddings) {

        public int headDim() {
            return hiddenSize / heads;
        }
    }

    /**
     * The vision tower.
     *
     * @param windowSize the side of an attention window in pixels (112: 4 x 4 merged patches)
     * @param fullAttentionBlocks the blocks that attend across a whole frame pair instead of within windows
     * @param tokensPerSecond time positions per second of video in the language model's rotary positions
     */
    public record Vision(int depth, int hiddenSize, int heads, int intermediateSize, int outHiddenSize, int inChannels,
                         int patchSize, int temporalPatchSize, int spatialMergeSize, int windowSize,
                         int[] fullAttentionBlocks, int tokensPerSecond) {

        public int headDim() {
            return hiddenSize / heads;
        }

        /** The side of an attention window in merged patches. */
        public int windowUnits() {
            return windowSize / spatialMergeSize / patchSize;
        }

        public boolean isFullAttention(int block) {
            return Arrays.stream(fullAttentionBlocks).anyMatch(index -> index == block);
        }

        /** Values per patch in {@code pixel_values_videos}: channels x frames x pixels. */
        public int patchValues() {
            return inChannels * temporalPatchSize * patchSize * patchSize;
        }
    }

    /** Reads and checks {@code config.json}; errors name the file and the key. */
    public static Qwen25VlConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw VideoRlException.invalidConfiguration(file + " does not exist (a Hugging Face checkpoint holds config.json)");
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration(file + ": not readable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw VideoRlException.invalidConfiguration(file + ": not a JSON object");
        }
        Keys top = new Keys(file, root, "");
        String modelType = top.text("model_type");
        if (!MODEL_TYPE.equals(modelType)) {
            throw VideoRlException.invalidConfiguration(file + ": model_type is '" + modelType + "'; this architecture reads '"
                    + MODEL_TYPE + "' (Qwen2.5-VL)");
        }
        Keys text = root.has("text_config") ? new Keys(file, root.get("text_config"), "text_config.") : top;
        Keys vision = new Keys(file, top.object("vision_config"), "vision_config.");
        Qwen25VlConfig config = new Qwen25VlConfig(readText(text, top), readVision(vision),
                top.integer("video_token_id"), top.integer("image_token_id"), top.integer("vision_start_token_id"),
                top.integer("vision_end_token_id"));
        config.check(file);
        return config;
    }

    private static Text readText(Keys text, Keys top) {
        JsonNode scaling = text.object("rope_scaling");
        Keys rope = new Keys(text.file, scaling, text.prefix + "rope_scaling.");
        String type = scaling.has("rope_type") ? rope.text("rope_type") : rope.text("type");
        if (!type.equals("default") && !type.equals("mrope")) {
            throw text.invalid("rope_scaling.rope_type", "is '" + type + "'; only the default multimodal rotary "
                    + "positions (mrope) are implemented");
        }
        requireValue(text, "hidden_act", "silu");
        if (text.node.path("use_sliding_window").asBoolean(false)) {
            throw text.invalid("use_sliding_window", "is true; sliding-window attention is not implemented");
        }
        // Newer saves keep tie_word_embeddings in text_config, released ones at the top.
        boolean tied = text.node.has("tie_word_embeddings") ? text.bool("tie_word_embeddings") : top.bool("tie_word_embeddings");
        return new Text(text.integer("vocab_size"), text.integer("hidden_size"), text.integer("intermediate_size"),
                text.integer("num_hidden_layers"), text.integer("num_attention_heads"), text.integer("num_key_value_heads"),
                text.number("rms_norm_eps"), text.number("rope_theta"), rope.integers("mrope_section"), tied);
    }

    private static Vision readVision(Keys vision) {
        requireValue(vision, "hidden_act", "silu");
        return new Vision(vision.integer("depth"), vision.integer("hidden_size"), vision.integer("num_heads"),
                vision.integer("intermediate_size"), vision.integer("out_hidden_size"), vision.integer("in_channels"),
                vision.integer("patch_size"), vision.integer("temporal_patch_size"), vision.integer("spatial_merge_size"),
                vision.integer("window_size"), vision.integers("fullatt_block_indexes"), vision.integer("tokens_per_second"));
    }

    private static void requireValue(Keys keys, String key, String expected) {
        String value = keys.text(key);
        if (!value.equals(expected)) {
            throw keys.invalid(key, "is '" + value + "'; only '" + expected + "' is implemented");
        }
    }

    private void check(Path file) {
        Keys keys = new Keys(file, null, "");
        if (text.hiddenSize % text.heads != 0) {
            throw keys.invalid("hidden_size", text.hiddenSize + " is not a multiple of num_attention_heads " + text.heads);
        }
        if (text.heads % text.keyValueHeads != 0) {
            throw keys.invalid("num_attention_heads", text.heads + " is not a multiple of num_key_value_heads " + text.keyValueHeads);
        }
        if (text.headDim() % 2 != 0) {
            throw keys.invalid("hidden_size", "gives an odd head width " + text.headDim());
        }
        if (text.mropeSection.length != 3 || Arrays.stream(text.mropeSection).sum() != text.headDim() / 2) {
            throw keys.invalid("rope_scaling.mrope_section", Arrays.toString(text.mropeSection)
                    + " must be three sizes summing to half the head width, " + text.headDim() / 2);
        }
        if (vision.hiddenSize % vision.heads != 0 || vision.headDim() % 4 != 0) {
            throw keys.invalid("vision_config.hidden_size", vision.hiddenSize + " over " + vision.heads
                    + " heads must give a head width that is a multiple of 4 (2-D rotary positions)");
        }
        if (vision.outHiddenSize != text.hiddenSize) {
            throw keys.invalid("vision_config.out_hidden_size", vision.outHiddenSize + " differs from the language model's "
                    + "hidden_size " + text.hiddenSize);
        }
        if (vision.windowSize % (vision.spatialMergeSize * vision.patchSize) != 0 || vision.windowUnits() < 1) {
            throw keys.invalid("vision_config.window_size", vision.windowSize + " is not a positive multiple of "
                    + "spatial_merge_size x patch_size = " + vision.spatialMergeSize * vision.patchSize);
        }
        for (int block : vision.fullAttentionBlocks) {
            if (block < 0 || block >= vision.depth) {
                throw keys.invalid("vision_config.fullatt_block_indexes", "names block " + block + " of " + vision.depth);
            }
        }
    }

    /** Typed reads of one JSON object's keys, each error naming the file and the key. */
    private record Keys(Path file, JsonNode node, String prefix) {

        VideoRlException invalid(String key, String problem) {
            return VideoRlException.invalidConfiguration(file + ": " + prefix + key + " " + problem);
        }

        private JsonNode required(String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                throw invalid(key, "is missing");
            }
            return value;
        }

        String text(String key) {
            JsonNode value = required(key);
            if (!value.isTextual()) {
                throw invalid(key, "must be a string, got " + value);
            }
            return value.asText();
        }

        int integer(String key) {
            JsonNode value = required(key);
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw invalid(key, "must be an integer, got " + value);
            }
            return value.intValue();
        }

        double number(String key) {
            JsonNode value = required(key);
            if (!value.isNumber()) {
                throw invalid(key, "must be a number, got " + value);
            }
            return value.doubleValue();
        }

        boolean bool(String key) {
            JsonNode value = required(key);
            if (!value.isBoolean()) {
                throw invalid(key, "must be true or false, got " + value);
            }
            return value.booleanValue();
        }

        JsonNode object(String key) {
            JsonNode value = required(key);
            if (!value.isObject()) {
                throw invalid(key, "must be an object, got " + value);
            }
            return value;
        }

        int[] integers(String key) {
            JsonNode value = required(key);
            if (!value.isArray()) {
                throw invalid(key, "must be a list of integers, got " + value);
            }
            int[] values = new int[value.size()];
            for (int i = 0; i < values.length; i++) {
                if (!value.get(i).canConvertToInt() || !value.get(i).isIntegralNumber()) {
                    throw invalid(key, "must be a list of integers, got " + value);
                }
                values[i] = value.get(i).intValue();
            }
            return values;
        }
    }
}
