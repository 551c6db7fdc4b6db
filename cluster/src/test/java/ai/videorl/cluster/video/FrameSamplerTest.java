package ai.videorl.cluster.video;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSamplerTest {

    @TempDir
    static Path directory;
    private static Path clip;

    @BeforeAll
    static void writeClip() throws Exception {
        clip = ColourClips.write(directory.resolve("colours.mp4"));
    }

    private static SampledFrames sample(FrameSamplingConfig config) {
        return new FrameSampler(config).sample(clip, clip.toString());
    }

    /** Asserts the frame's centre pixel shows {@code expected}, within H.264's loss. */
    private static void assertColour(Color expected, SampledFrames frames, int frame) {
        int row = frames.height() / 2;
        int column = frames.width() / 2;
        float[] actual = {frames.value(frame, 0, row, column), frames.value(frame, 1, row, column), frames.value(frame, 2, row, column)};
        float[] wanted = {expected.getRed() / 255f, expected.getGreen() / 255f, expected.getBlue() / 255f};
        assertArrayEquals(wanted, actual, 0.12f, "frame " + frame + " at " + frames.timestamps()[frame] + " s");
    }

    @Test
    void probeReadsTheContainer() {
        VideoProbe probe = FrameSampler.probe(clip, clip.toString());
        assertEquals(4.0, probe.durationSeconds(), 0.2);
        assertEquals(8.0, probe.frameRate(), 1e-6);
        assertEquals(32, probe.frameCount());
        assertEquals(64, probe.width());
        assertEquals(48, probe.height());
        assertEquals("h264", probe.codec());
    }

    @Test
    void samplesAtTheTargetRateWithTheirTimestampsAndPixels() {
        SampledFrames frames = sample(new FrameSamplingConfig(2.0, 1, 32, 32, 32, false));
        assertEquals(8, frames.count());
        for (int i = 0; i < frames.count(); i++) {
            assertEquals(i * 0.5, frames.timestamps()[i], 1.0 / ColourClips.FPS, "timestamp of frame " + i);
            assertColour(ColourClips.colourAt(i * 0.5), frames, i);
        }
        assertEquals(8 * 3 * 32 * 32, frames.pixels().length);
    }

    @Test
    void aFrameCapSpreadsFramesEvenlyOverTheVideo() {
        SampledFrames frames = sample(new FrameSamplingConfig(2.0, 1, 4, 32, 32, false));
        assertArrayEquals(new double[] {0, 1, 2, 3}, frames.timestamps(), 1.0 / ColourClips.FPS);
        for (int i = 0; i < 4; i++) {
            assertColour(ColourClips.COLOURS[i], frames, i);
        }
    }

    @Test
    void longGapsAreCrossedBySeekingToTheRightFrames() throws Exception {
        // 30 s capped at 4 frames: 7.5 s apart, beyond the seek threshold.
        Path film = ColourClips.write(directory.resolve("film.mp4"), false, 30);
        SampledFrames frames = new FrameSampler(new FrameSamplingConfig(2.0, 1, 4, 32, 32, false)).sample(film, "film.mp4");
        assertArrayEquals(new double[] {0, 7.5, 15, 22.5}, frames.timestamps(), 1.0 / ColourClips.FPS);
        for (int i = 0; i < 4; i++) {
            assertColour(ColourClips.colourAt(i * 7.5), frames, i);
        }
    }

    @Test
    void theMinimumFrameCountIsHonoured() {
        SampledFrames frames = sample(new FrameSamplingConfig(0.25, 4, 8, 32, 32, false));
        assertEquals(4, frames.count(), "0.25 fps of 4 s would give one frame");
    }

    @Test
    void resizingKeepsTheAspectWithBlackPadding() {
        // 64x48 into 32x32: the picture is 32x24, with 4 black rows above and below.
        SampledFrames frames = sample(new FrameSamplingConfig(2.0, 1, 1, 32, 32, false));
        for (int channel = 0; channel < 3; channel++) {
            assertEquals(0f, frames.value(0, channel, 1, 16), "padding row");
            assertEquals(0f, frames.value(0, channel, 30, 16), "padding row");
        }
        assertColour(Color.RED, frames, 0);
    }

    @Test
    void shrinkingAveragesOverTheSourcePixels() throws Exception {
        // One white column in four on black, shrunk 4x: every target pixel covers one white and
        // three black source columns, so it is a quarter grey wherever it lies. A filter reading
        // only the source pixels nearest each target pixel sees all black (or all white) there.
        Path stripes = directory.resolve("stripes.mp4");
        try (Mp4Writer writer = Mp4Writer.open(stripes, 128, 96, ColourClips.FPS)) {
            int[] rgb = new int[128 * 96];
            for (int p = 0; p < rgb.length; p++) {
                rgb[p] = p % 4 == 0 ? 0xFFFFFF : 0;
            }
            for (int i = 0; i < ColourClips.FPS; i++) {
                writer.write(rgb);
            }
        }
        SampledFrames frames = new FrameSampler(new FrameSamplingConfig(2.0, 1, 1, 32, 32, false)).sample(stripes, "stripes.mp4");
        // 128x96 into 32x32: the picture fills rows 4-27.
        for (int row = 4; row < 28; row++) {
            for (int column = 0; column < 32; column++) {
                assertEquals(0.25, frames.value(0, 1, row, column), 0.08, "green at row " + row + ", column " + column);
            }
        }
    }

    @Test
    void aBurntClockShowsInTheTopLeftCorner() {
        SampledFrames plain = sample(new FrameSamplingConfig(2.0, 1, 8, 48, 48, false));
        SampledFrames clocked = sample(new FrameSamplingConfig(2.0, 1, 8, 48, 48, true));
        int changed = 0;
        for (int row = 0; row < 12; row++) {
            for (int column = 0; column < 30; column++) {
                changed += plain.value(7, 1, row, column) != clocked.value(7, 1, row, column) ? 1 : 0;
            }
        }
        assertTrue(changed > 20, "the clock changed " + changed + " pixels of the corner");
        assertColour(ColourClips.colourAt(3.5), clocked, 7);
        assertEquals("00:03", Clock.format(3.5));
        assertEquals("01:02:03", Clock.format(3723.9));
    }

    @Test
    void aTextFileNamedMp4IsCorrupt() throws Exception {
        Path text = Files.writeString(directory.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        VideoException error = assertThrows(VideoException.class, () -> FrameSampler.probe(text, "notes.mp4"));
        assertEquals(VideoException.Reason.CORRUPT, error.reason());
        assertTrue(error.getMessage().startsWith("notes.mp4: corrupt:"), error.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path truncated = Files.write(directory.resolve("truncated.mp4"), java.util.Arrays.copyOf(whole, whole.length / 2));
        VideoException error = assertThrows(VideoException.class,
                () -> new FrameSampler(FrameSamplingConfig.DEFAULTS).sample(truncated, "truncated.mp4"));
        assertTrue(error.reason() == VideoException.Reason.CORRUPT || error.reason() == VideoException.Reason.TRUNCATED,
                error.getMessage());
        assertTrue(error.getMessage().startsWith("truncated.mp4: "), error.getMessage());
    }

    @Test
    void aFileCutShortAfterItsIndexIsTruncated() throws Exception {
        Path whole = ColourClips.write(directory.resolve("faststart.mp4"), true);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(directory.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        FrameSampler.probe(cut, "cut.mp4");
        VideoException error = assertThrows(VideoException.class,
                () -> new FrameSampler(FrameSamplingConfig.DEFAULTS).sample(cut, "cut.mp4"));
        assertEquals(VideoException.Reason.TRUNCATED, error.reason(), error.getMessage());
        assertTrue(error.getMessage().startsWith("cut.mp4: truncated: ends before"), error.getMessage());
    }

    @Test
    void aFileWithoutAVideoStreamIsUnsupported() throws Exception {
        Path audio = directory.resolve("sound.mp4");
        try (org.bytedeco.javacv.FFmpegFrameRecorder recorder = new org.bytedeco.javacv.FFmpegFrameRecorder(audio.toFile(), 1)) {
            recorder.setFormat("mp4");
            recorder.setSampleRate(16000);
            recorder.start();
            recorder.recordSamples(16000, 1, java.nio.ShortBuffer.wrap(new short[16000]));
            recorder.stop();
        }
        VideoException error = assertThrows(VideoException.class, () -> FrameSampler.probe(audio, "sound.mp4"));
        assertEquals(VideoException.Reason.UNSUPPORTED, error.reason(), error.getMessage());
        assertTrue(error.getMessage().startsWith("sound.mp4: unsupported: no decodable video stream"), error.getMessage());
    }

    @Test
    void badSettingsNameTheKey() {
        assertThrows(ai.videorl.common.error.VideoRlException.class, () -> new FrameSamplingConfig(0, 1, 4, 32, 32, false));
        assertThrows(ai.videorl.common.error.VideoRlException.class, () -> new FrameSamplingConfig(2, 5, 4, 32, 32, false));
    }
}
