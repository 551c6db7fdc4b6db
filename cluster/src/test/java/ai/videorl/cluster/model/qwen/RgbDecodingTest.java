package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.video.Mp4Writer;
import ai.videorl.cluster.video.RgbFrameReader;
import ai.videorl.cluster.video.VideoException;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames decoded to RGB by the project's FFmpeg against PyAV's {@code frame.to_rgb().to_ndarray()}
 * (what torchvision's read_video gives qwen-vl-utils) on the fixture MP4s: byte for byte.
 */
class RgbDecodingTest {

    @TempDir
    Path directory;

    @Test
    void everyFrameEqualsPyAvByteForByte() {
        JsonNode decoded = QwenFixtures.json("videos/decoded.json");
        for (String name : List.of("clip_112x84_8fps.mp4", "clip_100x70_8fps.mp4")) {
            JsonNode expected = decoded.path(name);
            Path file = QwenFixtures.ROOT.resolve("videos").resolve(name);
            try (RgbFrameReader reader = RgbFrameReader.open(file, name)) {
                assertEquals(expected.path("frames").asInt(), reader.frameCount(), name);
                assertEquals(expected.path("video_fps").asDouble(), reader.frameRate(), 0.0, name);
                assertEquals(expected.path("width").asInt(), reader.width(), name);
                assertEquals(expected.path("height").asInt(), reader.height(), name);
                List<byte[]> frames = reader.read(IntStream.range(0, reader.frameCount()).toArray());
                byte[] saved = QwenFixtures.gunzip(file.resolveSibling(name + ".frames-0-and-last.rgb24.gz"));
                int frameBytes = frames.get(0).length;
                assertEquals(0, maxDifference(Arrays.copyOfRange(saved, 0, frameBytes), frames.get(0)), name + " frame 0");
                assertEquals(0, maxDifference(Arrays.copyOfRange(saved, frameBytes, 2 * frameBytes),
                        frames.get(frames.size() - 1)), name + " last frame");
                for (int i = 0; i < frames.size(); i++) {
                    assertEquals(expected.path("rgb24_sha256").get(i).asText(), QwenFixtures.sha256(frames.get(i)),
                            name + " frame " + i);
                }
            }
        }
    }

    @Test
    void repeatedAndSkippedIndicesDecodeForward() {
        Path file = QwenFixtures.ROOT.resolve("videos/clip_112x84_8fps.mp4");
        List<byte[]> all;
        try (RgbFrameReader reader = RgbFrameReader.open(file, "clip")) {
            all = reader.read(IntStream.range(0, 24).toArray());
        }
        try (RgbFrameReader reader = RgbFrameReader.open(file, "clip")) {
            List<byte[]> some = reader.read(new int[] {3, 3, 20});
            assertArrayEquals(all.get(3), some.get(0));
            assertArrayEquals(all.get(3), some.get(1));
            assertArrayEquals(all.get(20), some.get(2));
            assertThrows(IllegalArgumentException.class, () -> reader.read(new int[] {5}));
            VideoException past = assertThrows(VideoException.class, () -> reader.read(new int[] {24}));
            assertEquals(VideoException.Reason.TRUNCATED, past.reason());
        }
    }

    @Test
    void aVideoWithoutFramesIsRefusedNamingIt() throws IOException {
        Path empty = directory.resolve("empty.mp4");
        Mp4Writer.open(empty, 112, 84, 8).close();
        VideoException error = assertThrows(VideoException.class, () -> RgbFrameReader.open(empty, "empty.mp4").close());
        assertTrue(error.getMessage().startsWith("empty.mp4: "), error.getMessage());
    }

    @Test
    void aVideoOfOneFrameIsRefusedAsTheReferenceRefusesIt() throws IOException {
        Path single = directory.resolve("single.mp4");
        try (Mp4Writer writer = Mp4Writer.open(single, 112, 84, 8)) {
            writer.write(new int[112 * 84]);
        }
        VideoPreprocessor preprocessor = new VideoPreprocessor(QwenPreprocessorConfig.defaults());
        VideoRlException error = assertThrows(VideoRlException.class,
                () -> preprocessor.process(single, "single.mp4", QwenVideoOptions.defaults()));
        assertTrue(error.getMessage().contains("[2, 1]"), error.getMessage());
    }

    private static int maxDifference(byte[] expected, byte[] actual) {
        assertEquals(expected.length, actual.length);
        int max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF)));
        }
        return max;
    }
}
