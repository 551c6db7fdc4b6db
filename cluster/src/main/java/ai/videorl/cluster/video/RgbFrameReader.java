package ai.videorl.cluster.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chosen frames of a video at the video's own size, as RGB24 bytes converted by FFmpeg's swscale:
 * what torchvision's {@code read_video} (PyAV, {@code frame.to_rgb().to_ndarray()}) gives the
 * Qwen-VL preprocessing, so frames go through no resampling of ours before the model's own.
 *
 * <pre>{@code
 * try (RgbFrameReader reader = RgbFrameReader.open(path, "clip.mp4")) {
 *     int[] indices = chooseFrames(reader.frameCount(), reader.frameRate());
 *     List<byte[]> frames = reader.read(indices);   // height x width x 3, row-major
 * }
 * }</pre>
 *
 * <p>Every failure is a {@link VideoException} naming the file. Not thread-safe.
 */
public final class RgbFrameReader implements AutoCloseable {

    static {
        FFmpegLogging.ensureQuiet();
    }

    private final Path file;
    private final String location;
    private final VideoDecoder decoder;
    private final int frameCount;
    private int nextIndex;

    private RgbFrameReader(Path file, String location, VideoDecoder decoder, int frameCount) {
        this.file = file;
        this.location = location;
        this.decoder = decoder;
        this.frameCount = frameCount;
    }

    /**
     * Opens {@code file}; {@code location} names it in errors. The frame count is the one the
     * container states for the video stream (as decord and torchcodec report it), or, where it
     * states none, the stream's packets counted in one pass without decoding.
     *
     * @throws VideoException when the file is missing, not a video, or holds no frame
     */
    public static RgbFrameReader open(Path file, String location) {
        VideoDecoder decoder = VideoDecoder.open(file, location);
        try {
            long stated = decoder.statedFrameCount();
            int frameCount;
            if (stated > 0) {
                frameCount = Math.toIntExact(stated);
            } else {
                try (VideoDecoder counter = VideoDecoder.open(file, location)) {
                    frameCount = counter.countPackets();
                }
            }
            if (frameCount < 1) {
                throw new VideoException(location, VideoException.Reason.UNSUPPORTED, "the video stream holds no frame");
            }
            return new RgbFrameReader(file, location, decoder, frameCount);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /** What the video holds, as its container reports it. */
    public VideoProbe probe() {
        return decoder.probe();
    }

    /** Frames in the video stream (see {@link #open}). */
    public int frameCount() {
        return frameCount;
    }

    /** The stream's average frame rate (FFmpeg's {@code avg_frame_rate}, else {@code r_frame_rate}). */
    public double frameRate() {
        return decoder.probe().frameRate();
    }

    /** Picture width in pixels. */
    public int width() {
        return decoder.probe().width();
    }

    /** Picture height in pixels. */
    public int height() {
        return decoder.probe().height();
    }

    /**
     * The frames at {@code indices} (0-based, in decoding order, ascending; an index may repeat),
     * each {@code height · width · 3} bytes, row-major, R G B. Decodes forward from where the last
     * call stopped, so later calls must ask for later frames.
     *
     * @throws VideoException when the stream ends before the last index
     * @throws IllegalArgumentException when the indices go backwards or below the last call's
     */
    public List<byte[]> read(int[] indices) {
        List<byte[]> frames = new ArrayList<>(indices.length);
        byte[] last = null;
        int lastIndex = -1;
        for (int index : indices) {
            if (index == lastIndex) {
                frames.add(last.clone());
                continue;
            }
            if (index < nextIndex) {
                throw new IllegalArgumentException("frame indices must ascend, got " + index + " after frame "
                        + (nextIndex - 1) + " of " + file);
            }
            while (nextIndex <= index) {
                if (!decoder.next()) {
                    String damaged = decoder.damagedPackets() == 0 ? ""
                            : String.format(Locale.ROOT, " (%d damaged packets skipped)", decoder.damagedPackets());
                    throw new VideoException(location, VideoException.Reason.TRUNCATED, String.format(Locale.ROOT,
                            "ends after %d frames although it states %d; frame %d was asked for%s",
                            nextIndex, frameCount, index, damaged));
                }
                nextIndex++;
            }
            last = decoder.rgbPicture();
            lastIndex = index;
            frames.add(last);
        }
        return frames;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
