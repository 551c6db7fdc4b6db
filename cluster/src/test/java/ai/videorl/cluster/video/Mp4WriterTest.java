package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mp4WriterTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 48;

    @TempDir
    Path directory;

    /** Frame {@code i}: a 16x16 block of {@code rgb} at x = 4 + 2i on dark grey. */
    private static int[] frame(int i, int rgb) {
        int[] pixels = new int[WIDTH * HEIGHT];
        Arrays.fill(pixels, 0x141414);
        for (int y = 16; y < 32; y++) {
            for (int x = 4 + 2 * i; x < 20 + 2 * i; x++) {
                pixels[y * WIDTH + x] = rgb;
            }
        }
        return pixels;
    }

    private Path write(String name, int frames) throws IOException {
        Path path = directory.resolve(name);
        try (Mp4Writer writer = Mp4Writer.open(path, WIDTH, HEIGHT, 10)) {
            for (int i = 0; i < frames; i++) {
                writer.write(frame(i, 0x2D5AFF));
            }
            assertEquals(frames, writer.frames());
        }
        return path;
    }

    @Test
    void writesH264ThatDecodesBackToTheFrames() throws IOException {
        Path path = write("nested/blue.mp4", 20);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(path.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            assertTrue(grabber.getVideoCodecName().contains("h264"), grabber.getVideoCodecName());
            assertEquals(WIDTH, grabber.getImageWidth());
            assertEquals(HEIGHT, grabber.getImageHeight());
            assertEquals(10.0, grabber.getFrameRate(), 1e-9);
            assertEquals(2_000_000, grabber.getLengthInTime(), "20 frames at 10 fps");
            int frames = 0;
            for (Frame frame = grabber.grabImage(); frame != null; frame = grabber.grabImage()) {
                assertEquals(frames * 100_000L, frame.timestamp, "constant frame rate");
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                int centre = 24 * frame.imageStride + (12 + 2 * frames) * 3;
                int[] rgb = {pixels.get(centre) & 0xFF, pixels.get(centre + 1) & 0xFF, pixels.get(centre + 2) & 0xFF};
                assertClose(new int[] {0x2D, 0x5A, 0xFF}, rgb, 12, "the block's centre in frame " + frames);
                int corner = 2 * frame.imageStride + 60 * 3;
                assertTrue((pixels.get(corner) & 0xFF) < 40, "the background stays dark");
                frames++;
            }
            assertEquals(20, frames);
        }
    }

    private static void assertClose(int[] expected, int[] actual, int tolerance, String message) {
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
                    message + ": expected " + Arrays.toString(expected) + " within " + tolerance + ", got " + Arrays.toString(actual));
        }
    }

    @Test
    void theSameFramesGiveTheSameBytes() throws IOException {
        assertArrayEquals(Files.readAllBytes(write("a.mp4", 12)),
                Files.readAllBytes(write("b.mp4", 12)));
    }

    @Test
    void acceptsImagesAndRejectsWrongSizes() throws IOException {
        try (Mp4Writer writer = Mp4Writer.open(directory.resolve("image.mp4"), WIDTH, HEIGHT, 8)) {
            writer.write(new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB));
            assertThrows(IllegalArgumentException.class, () -> writer.write(new int[5]));
            assertThrows(IllegalArgumentException.class,
                    () -> writer.write(new BufferedImage(WIDTH + 2, HEIGHT, BufferedImage.TYPE_INT_RGB)));
        }
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.open(directory.resolve("odd.mp4"), 63, 48, 8));
    }

    @Test
    void convertsToLimitedRangeBt601() {
        byte[] yuv = new byte[2 * 2 * 3 / 2];
        Mp4Writer.toYuv420(new int[] {0xFFFFFF, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF}, 2, 2, yuv);
        assertEquals(235, yuv[0] & 0xFF, "white Y");
        assertEquals(128, yuv[4] & 0xFF, "white U");
        assertEquals(128, yuv[5] & 0xFF, "white V");
        Mp4Writer.toYuv420(new int[] {0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000}, 2, 2, yuv);
        assertEquals(82, yuv[0] & 0xFF, "red Y");
        assertEquals(90, yuv[4] & 0xFF, "red U");
        assertEquals(240, yuv[5] & 0xFF, "red V");
        Mp4Writer.toYuv420(new int[4], 2, 2, yuv);
        assertEquals(16, yuv[0] & 0xFF, "black Y");
    }
}
