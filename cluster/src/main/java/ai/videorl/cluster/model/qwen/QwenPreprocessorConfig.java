package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The settings of transformers 4.57.6's {@code Qwen2VLVideoProcessor} for a checkpoint: read from
 * {@code video_preprocessor_config.json}, or, as transformers does for checkpoints saved before
 * video processors had their own file (the released Qwen2.5-VL ones), from
 * {@code preprocessor_config.json}; each key missing from the file takes the class default.
 *
 * <p>The resize limits follow the processor's constructor: {@code size.shortest_edge} and
 * {@code size.longest_edge} (default 128 · 28 · 28 and 768 · 28 · 28), replaced by
 * {@code min_pixels} and {@code max_pixels} where the file has them. In 4.57.6 min/max pixels
 * given when loading or when calling the processor do not reach the video resize (they set an
 * attribute the resize does not read), so the checkpoint's values are the ones that count.
 *
 * @param source the file read, or "defaults"
 * @param minPixels fewest pixels a frame is resized to
 * @param maxPixels most pixels a frame is resized to
 * @param patchSize spatial patch side (14)
 * @param temporalPatchSize frames per temporal patch (2)
 * @param mergeSize patches merged per side into one token (2)
 * @param imageMean per-channel mean (CLIP's)
 * @param imageStd per-channel standard deviation (CLIP's)
 * @param rescaleFactor what byte values are multiplied by (1/255)
 * @param doResize whether the processor resizes
 * @param doRescale whether it rescales
 * @param doNormalize whether it normalises
 */
public record QwenPreprocessorConfig(String source, double minPixels, double maxPixels, int patchSize,
                                     int temporalPatchSize, int mergeSize, double[] imageMean, double[] imageStd,
                                     double rescaleFactor, boolean doResize, boolean doRescale, boolean doNormalize) {

    static final String VIDEO_CONFIG = "video_preprocessor_config.json";
    static final String IMAGE_CONFIG = "preprocessor_config.json";
    /** transformers' OPENAI_CLIP_MEAN and OPENAI_CLIP_STD. */
    static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    public QwenPreprocessorConfig {
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
        if (patchSize < 1 || temporalPatchSize < 1 || mergeSize < 1) {
            throw VideoRlException.invalidConfiguration(source + ": patch_size, temporal_patch_size and merge_size must be "
                    + "positive, got " + patchSize + ", " + temporalPatchSize + ", " + mergeSize);
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw VideoRlException.invalidConfiguration(source + ": image_mean and image_std need 3 values (RGB), got "
                    + imageMean.length + " and " + imageStd.length);
        }
        if (!(minPixels > 0) || !(maxPixels >= minPixels)) {
            throw VideoRlException.invalidConfiguration(source + ": the pixel limits must satisfy 0 < min <= max, got "
                    + minPixels + " and " + maxPixels);
        }
    }

    @Override
    public double[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public double[] imageStd() {
        return imageStd.clone();
    }

    /** The class defaults of {@code Qwen2VLVideoProcessor}. */
    public static QwenPreprocessorConfig defaults() {
        return new QwenPreprocessorConfig("defaults", 128 * 28 * 28, 768 * 28 * 28, 14, 2, 2, CLIP_MEAN, CLIP_STD,
                1 / 255.0, true, true, true);
    }

    /**
     * The video processor settings of a checkpoint folder; the class defaults where it has neither file.
     *
     * @throws VideoRlException naming the file when it is not valid JSON or its values are unusable
     */
    public static QwenPreprocessorConfig load(Path checkpointDirectory) {
        for (String name : new String[] {VIDEO_CONFIG, IMAGE_CONFIG}) {
            Path file = checkpointDirectory.resolve(name);
            if (Files.isRegularFile(file)) {
                return read(file);
            }
        }
        return defaults();
    }

    private static QwenPreprocessorConfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("cannot read " + file + " as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw VideoRlException.invalidConfiguration(file + " is not a JSON object");
        }
        QwenPreprocessorConfig base = defaults();
        JsonNode size = root.path("size");
        double minPixels = size.path("shortest_edge").asDouble(base.minPixels());
        double maxPixels = size.path("longest_edge").asDouble(base.maxPixels());
        if (size.isObject() && !(size.has("shortest_edge") && size.has("longest_edge"))
                && !(root.has("min_pixels") && root.has("max_pixels"))) {
            throw VideoRlException.invalidConfiguration(file + ": size must contain 'shortest_edge' and 'longest_edge' keys");
        }
        minPixels = root.path("min_pixels").asDouble(minPixels);
        maxPixels = root.path("max_pixels").asDouble(maxPixels);
        return new QwenPreprocessorConfig(file.toString(), minPixels, maxPixels,
                root.path("patch_size").asInt(base.patchSize()),
                root.path("temporal_patch_size").asInt(base.temporalPatchSize()),
                root.path("merge_size").asInt(base.mergeSize()),
                doubles(root.path("image_mean"), CLIP_MEAN), doubles(root.path("image_std"), CLIP_STD),
                root.path("rescale_factor").asDouble(base.rescaleFactor()),
                root.path("do_resize").asBoolean(true), root.path("do_rescale").asBoolean(true),
                root.path("do_normalize").asBoolean(true));
    }

    private static double[] doubles(JsonNode array, double[] fallback) {
        if (!array.isArray()) {
            return fallback;
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QwenPreprocessorConfig that && source.equals(that.source)
                && minPixels == that.minPixels && maxPixels == that.maxPixels && patchSize == that.patchSize
                && temporalPatchSize == that.temporalPatchSize && mergeSize == that.mergeSize
                && Arrays.equals(imageMean, that.imageMean) && Arrays.equals(imageStd, that.imageStd)
                && rescaleFactor == that.rescaleFactor && doResize == that.doResize && doRescale == that.doRescale
                && doNormalize == that.doNormalize;
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.hashCode(imageMean);
    }

    @Override
    public String toString() {
        return "QwenPreprocessorConfig[" + source + ": pixels " + (long) minPixels + ".." + (long) maxPixels + ", patch "
                + patchSize + ", temporal " + temporalPatchSize + ", merge " + mergeSize + ", mean "
                + Arrays.toString(imageMean) + ", std " + Arrays.toString(imageStd) + "]";
    }
}
