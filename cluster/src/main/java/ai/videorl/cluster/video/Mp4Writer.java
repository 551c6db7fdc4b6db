package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an H.264 MP4 frame by frame: libx264 (FFmpeg's GPL natives), yuv420p, constant frame
 * rate, a key frame every second so sampled frames decode without reading from the start.
 *
 * <pre>{@code
 * try (Mp4Writer video = Mp4Writer.open(path, 128, 96, 8)) {
 *     video.write(rgbPixels);   // width * height packed 0xRRGGBB, row-major
 * }
 * }</pre>
 *
 * <p>RGB becomes YUV here, in Java (BT.601, limited range, chroma averaged over each 2x2 block,
 * integer arithmetic), not in FFmpeg's swscale, whose SIMD paths differ between CPUs; with one
 * encoder thread and FFmpeg's bitexact flags (no library version in the file) the same frames
 * give the same bytes on any machine running the same libx264. Run videos in parallel, not
 * threads within one.
 *
 * <p>Not thread-safe: one writer per thread.
 */
public final class Mp4Writer implements AutoCloseable {

    /** x264's constant rate factor: visually lossless for flat synthetic colours; files of a few KB. */
    static final String CRF = "18";

    static {
        // libx264 prints a dozen INFO lines per file; encoding errors surface as exceptions.
        FFmpegLogging.ensureQuiet();
    }

    private final Path path;
    private final int width;
    private final int height;
    private final FFmpegFrameRecorder recorder;
    private final byte[] yuv;
    private final ByteBuffer buffer;
    private int frames;
    private boolean closed;

    private Mp4Writer(Path path, int width, int height, FFmpegFrameRecorder recorder) {
        this.path = path;
        this.width = width;
        this.height = height;
        this.recorder = recorder;
        this.yuv = new byte[width * height * 3 / 2];
        this.buffer = ByteBuffer.wrap(yuv);
    }

    /**
     * Starts a video at {@code path} (parent directories are created; an existing file is
     * replaced). Width and height must be even (yuv420p halves them for colour).
     */
    public static Mp4Writer open(Path path, int width, int height, int fps) throws IOException {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("width and height must be positive and even, got " + width + "x" + height);
        }
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FFmpegFrameRecorder recorder = new ExplicitlyReleased.Recorder(path.toFile(), width, height);
        recorder.setFormat("mp4");
        recorder.setVideoCodecName("libx264");
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(fps);
        recorder.setVideoOption("crf", CRF);
        recorder.setVideoOption("preset", "veryfast");
        recorder.setVideoOption("threads", "1");
        recorder.setVideoOption("flags", "+bitexact");
        recorder.setVideoOption("colorspace", "smpte170m");
        recorder.setVideoOption("color_range", "tv");
        recorder.setOption("fflags", "+bitexact");
        try {
            recorder.start();
        } catch (FFmpegFrameRecorder.Exception e) {
            recorder.release();
            throw new IOException("cannot start an H.264 MP4 at " + path + " (is libx264 in the FFmpeg natives? "
                    + "the LGPL build lacks it): " + e.getMessage(), e);
        }
        return new Mp4Writer(path, width, height, recorder);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames written so far. */
    public int frames() {
        return frames;
    }

    /** Appends a frame: {@code width * height} packed {@code 0xRRGGBB} pixels, row-major (higher bits ignored). */
    public void write(int[] rgb) throws IOException {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " frame needs " + width * height
                    + " pixels, got " + rgb.length);
        }
        toYuv420(rgb, width, height, yuv);
        recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, buffer);
        frames++;
    }

    /** Appends a frame of exactly this writer's size. */
    public void write(BufferedImage image) throws IOException {
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalArgumentException("expected a " + width + "x" + height + " image, got "
                    + image.getWidth() + "x" + image.getHeight());
        }
        write(image.getRGB(0, 0, width, height, null, 0, width));
    }

    /** Finishes the file (flushes the encoder, writes the MP4 index). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } finally {
            recorder.release();
        }
    }

    /**
     * Planar yuv420p from packed RGB: BT.601 limited range ({@code Y = 16 + (66R + 129G + 25B) / 256}
     * and so on, rounded), U and V from the 2x2 block's summed RGB.
     */
    static void toYuv420(int[] rgb, int width, int height, byte[] yuv) {
        int chromaWidth = width / 2;
        int uPlane = width * height;
        int vPlane = uPlane + uPlane / 4;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int pixel = rgb[y * width + x];
                int r = pixel >> 16 & 0xFF;
                int g = pixel >> 8 & 0xFF;
                int b = pixel & 0xFF;
                yuv[y * width + x] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
            }
        }
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x += 2) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int i = 0; i < 4; i++) {
                    int pixel = rgb[(y + i / 2) * width + x + i % 2];
                    r += pixel >> 16 & 0xFF;
                    g += pixel >> 8 & 0xFF;
                    b += pixel & 0xFF;
                }
                int chroma = (y / 2) * chromaWidth + x / 2;
                yuv[uPlane + chroma] = (byte) (((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128);
                yuv[vPlane + chroma] = (byte) (((112 * r - 94 * g - 18 * b + 512) >> 10) + 128);
            }
        }
    }
}
