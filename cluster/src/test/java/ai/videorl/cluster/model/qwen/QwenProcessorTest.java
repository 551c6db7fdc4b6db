package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole processor against qwen-vl-utils + transformers 4.57.6's Qwen2_5_VLProcessor on the
 * fixture videos (fixtures/cases/NAME/expected.json): prompt, input_ids, frame indices, grid,
 * second_per_grid_ts and pixel_values_videos.
 */
class QwenProcessorTest {

    @TempDir
    static Path directory;
    private static QwenProcessor processor;

    @BeforeAll
    static void load() throws IOException {
        processor = QwenProcessor.load(QwenFixtures.checkpoint(directory));
    }

    @AfterAll
    static void close() {
        processor.close();
    }


    /** Runs a case and checks everything but the pixel values; returns what it made. */
    private static QwenInputs runAndCheckText(String name) {
        JsonNode expected = QwenFixtures.json("cases/" + name + "/expected.json");
        Path video = QwenFixtures.ROOT.resolve("videos").resolve(expected.path("video").asText());
        QwenInputs inputs = processor.process(expected.path("system_prompt").asText(), expected.path("user_text").asText(),
                video, video.getFileName().toString(), VideoElements.options(expected.path("options")));
        QwenVideoInputs actual = inputs.video();
        assertEquals(expected.path("prompt").asText(), inputs.prompt(), name + " prompt");
        assertArrayEquals(QwenFixtures.ints(expected.path("frame_indices")), actual.frames().indices(), name + " frames");
        assertEquals(expected.path("total_frames").asInt(), actual.frames().totalFrames(), name);
        assertEquals(expected.path("sample_fps").asDouble(), actual.frames().sampleFps(), 0.0, name + " sample fps");
        assertArrayEquals(QwenFixtures.ints(expected.path("video_grid_thw")), actual.gridThw(), name + " video_grid_thw");
        assertEquals(expected.path("second_per_grid_ts").asDouble(), actual.secondsPerGrid(), 0.0, name + " second_per_grid_ts");
        assertEquals((float) expected.path("second_per_grid_ts_tensor").get(0).asDouble(), (float) actual.secondsPerGrid(),
                name + " second_per_grid_ts as float32");
        assertEquals(expected.path("video_pad_tokens").asInt(), actual.videoTokens(), name + " video tokens");
        assertArrayEquals(QwenFixtures.ints(expected.path("input_ids")), inputs.inputIds(), name + " input_ids");
        int[] shape = QwenFixtures.ints(expected.path("pixel_values_videos_shape"));
        assertEquals(shape[0], actual.rows(), name + " rows");
        assertEquals(shape[1], actual.columns(), name + " columns");
        int[] resized = QwenFixtures.ints(expected.path("resized_frames_shape"));
        assertEquals(resized[0], actual.frames().count(), name);
        return inputs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fps2", "fps1", "fps2-max-frames-4", "fps2-min-frames-9", "fps8-max-frames-12", "nframes-7"})
    void framesOfTheRightSizeGiveTransformersPixelValuesBitForBit(String name) {
        assertPixelValuesBitForBit(name);
    }

    /**
     * Frames resized by qwen-vl-utils (bytes: enlarged 100x70 -> 112x56, 112x84 -> 140x112 and
     * 392x280; shrunk 112x84 -> 56x28) and once more by the video processor (floats: 56x28 -> 84x56
     * in "max-pixels-3136", whose limits are below the checkpoint's): bit-identical too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"resize-100x70", "max-pixels-3136", "min-pixels-12544", "default-pixels"})
    void resizedFramesGiveTransformersPixelValuesBitForBit(String name) {
        assertPixelValuesBitForBit(name);
    }

    /** The case's text checks, then its pixel values: the whole tensor where the fixture has it, always their hash. */
    private static void assertPixelValuesBitForBit(String name) {
        QwenInputs inputs = runAndCheckText(name);
        JsonNode expected = QwenFixtures.json("cases/" + name + "/expected.json");
        float[] values = inputs.video().pixelValues();
        Path full = QwenFixtures.ROOT.resolve("cases").resolve(name).resolve("pixel_values_videos.f32.gz");
        if (Files.isRegularFile(full)) {
            assertEquals(0.0, QwenFixtures.maxAbsDifference(QwenFixtures.floats(full), values), name + " max difference");
        }
        assertEquals(expected.path("pixel_values_videos_sha256").asText(),
                QwenFixtures.sha256(QwenFixtures.littleEndian(values)), name + " pixel_values_videos bytes");
    }

    @Test
    void aPromptWithoutOneVideoPlaceholderIsRefused() {
        QwenVideoInputs video = new QwenVideoInputs(new float[4 * 1176], 1, 2, 2, 1176, 2, 1.0,
                FrameChoice.choose(24, 8.0, QwenVideoOptions.defaults()), 28, 28);
        assertEquals(1, video.videoTokens());
        assertThrows(VideoRlException.class, () -> processor.encodePrompt("no video here", video));
        assertThrows(VideoRlException.class,
                () -> processor.encodePrompt("<|video_pad|> and <|video_pad|>", video));
        assertArrayEquals(new int[] {151652, 151656, 151653},
                processor.encodePrompt("<|vision_start|><|video_pad|><|vision_end|>", video));
    }

    @Test
    void readsTheReleasedPreprocessorConfig() {
        QwenPreprocessorConfig config = processor.config();
        assertEquals(3136, config.minPixels(), 0.0);
        assertEquals(12845056, config.maxPixels(), 0.0);
        assertEquals(14, config.patchSize());
        assertEquals(2, config.temporalPatchSize());
        assertEquals(2, config.mergeSize());
        assertArrayEquals(QwenPreprocessorConfig.CLIP_MEAN, config.imageMean(), 0.0);
        assertTrue(config.source().endsWith("preprocessor_config.json"), config.source());
    }
}
