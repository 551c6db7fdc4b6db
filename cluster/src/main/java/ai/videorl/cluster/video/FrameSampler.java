package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes videos with FFmpeg (JavaCV) and samples frames as {@link FrameSamplingConfig} says.
 * Frames are decoded in order, seeking forward only across long gaps, so a short clip costs one
 * pass and a long film only the frames near each sample. Every failure is a
 * {@link VideoException} naming the file and the reason.
 */
public final class FrameSampler {

    /** Gaps longer than this are crossed by seeking instead of decoding every frame. */
    private static final double SEEK_GAP_SECONDS = 4;

    static {
        FFmpegLogging.ensureQuiet();
    }

    private final FrameSamplingConfig config;

    public FrameSampler(FrameSamplingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** What the video at {@code file} holds; {@code location} names it in errors. */
    public static VideoProbe probe(Path file, String location) {
        try (FFmpegFrameGrabber grabber = open(file, location)) {
            return probe(grabber, location);
        } catch (FrameGrabber.Exception e) {
            throw new VideoException(location, VideoException.Reason.CORRUPT, "cannot close: " + e.getMessage(), e);
        }
    }

    /** Samples frames of the video at {@code file}; {@code location} names it in errors. */
    public SampledFrames sample(Path file, String location) {
        try (FFmpegFrameGrabber grabber = open(file, location)) {
            VideoProbe probe = probe(grabber, location);
            scaleInDecoder(grabber, probe);
            double[] times = config.sampleTimes(probe.durationSeconds(), probe.frameCount());
            int frameSize = 3 * config.height() * config.width();
            float[] pixels = new float[times.length * frameSize];
            double[] timestamps = new double[times.length];
            double halfFrame = 0.5 / probe.frameRate();
            double position = 0;
            for (int i = 0; i < times.length; i++) {
                if (times[i] - position > SEEK_GAP_SECONDS) {
                    grabber.setTimestamp((long) (times[i] * 1e6));
                }
                Frame frame = grabUntil(grabber, times[i] - halfFrame, location, probe);
                timestamps[i] = frame.timestamp / 1e6;
                position = timestamps[i];
                BufferedImage image = letterbox(toImage(frame));
                if (config.burnClock()) {
                    burnClock(image, timestamps[i]);
                }
                toChannels(image, pixels, i * frameSize);
            }
            return new SampledFrames(times.length, config.height(), config.width(), pixels, timestamps, probe);
        } catch (FrameGrabber.Exception e) {
            throw new VideoException(location, VideoException.Reason.CORRUPT, "decoding failed: " + e.getMessage(), e);
        }
    }

    /**
     * Has FFmpeg's scaler bring each picture to its letterboxed size, averaging over the source
     * pixels each target pixel covers. Java2D's bilinear draw reads only the 2 x 2 source pixels
     * nearest each target pixel: shrinking a 128-pixel frame to 32 dropped three rows and columns
     * in four, so a small shape's outline depended on where it stood, not on what it was. It is
     * also cheaper: a 1080p picture is never converted at full size.
     */
    private void scaleInDecoder(FFmpegFrameGrabber grabber, VideoProbe probe) {
        double scale = Math.min((double) config.width() / probe.width(), (double) config.height() / probe.height());
        grabber.setImageWidth(Math.max(1, (int) Math.round(probe.width() * scale)));
        grabber.setImageHeight(Math.max(1, (int) Math.round(probe.height() * scale)));
        grabber.setImageScalingFlags(swscale.SWS_AREA);
    }

    private static FFmpegFrameGrabber open(Path file, String location) {
        FFmpegFrameGrabber grabber = new ExplicitlyReleased.Grabber(file.toFile());
        try {
            grabber.start();
            return grabber;
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            throw new VideoException(location, VideoException.Reason.CORRUPT, "not a readable video: " + e.getMessage(), e);
        }
    }

    private static VideoProbe probe(FFmpegFrameGrabber grabber, String location) {
        if (!grabber.hasVideo() || grabber.getImageWidth() < 1 || grabber.getImageHeight() < 1) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED, "no decodable video stream");
        }
        double frameRate = grabber.getFrameRate();
        int frames = grabber.getLengthInVideoFrames();
        // The video stream's own length: the container's may include a longer audio track, and
        // sampling past the last picture would call a good file truncated.
        double duration = frames > 0 && frameRate > 0 ? frames / frameRate : grabber.getLengthInTime() / 1e6;
        if (!(frameRate > 0) || !(duration > 0)) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED,
                    "no frame rate or duration (" + frameRate + " fps, " + duration + " s)");
        }
        if (frames < 1) {
            frames = Math.max(1, (int) Math.floor(duration * frameRate));
        }
        String codec = grabber.getVideoCodecName();
        return new VideoProbe(duration, frameRate, frames, grabber.getImageWidth(), grabber.getImageHeight(),
                codec == null ? "unknown" : codec);
    }

    /** The first video frame at or after {@code time} seconds. */
    private static Frame grabUntil(FFmpegFrameGrabber grabber, double time, String location, VideoProbe probe)
            throws FrameGrabber.Exception {
        while (true) {
            Frame frame = grabber.grabImage();
            if (frame == null) {
                throw new VideoException(location, VideoException.Reason.TRUNCATED, String.format(Locale.ROOT,
                        "ends before %.2f s although it announces %.2f s", time, probe.durationSeconds()));
            }
            if (frame.timestamp / 1e6 >= time) {
                return frame;
            }
        }
    }

    /**
     * The decoder's BGR picture as an image, row by row at the frame's stride. By hand because
     * Java2DFrameConverter fails its own assertion on pictures the decoder has scaled.
     */
    private static BufferedImage toImage(Frame frame) {
        ByteBuffer bgr = (ByteBuffer) frame.image[0];
        BufferedImage image = new BufferedImage(frame.imageWidth, frame.imageHeight, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth; x++) {
                int at = y * frame.imageStride + 3 * x;
                rgb[y * frame.imageWidth + x] = (bgr.get(at + 2) & 0xFF) << 16 | (bgr.get(at + 1) & 0xFF) << 8 | bgr.get(at) & 0xFF;
            }
        }
        return image;
    }

    /** Centres the picture, already shrunk to fit in the decoder ({@link #scaleInDecoder}), on black at the target size. */
    private BufferedImage letterbox(BufferedImage source) {
        BufferedImage target = new BufferedImage(config.width(), config.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.drawImage(source, (config.width() - source.getWidth()) / 2, (config.height() - source.getHeight()) / 2, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }

    /** Draws MM:SS (HH:MM:SS past an hour) white on black in the top-left corner. */
    static void burnClock(BufferedImage image, double seconds) {
        String clock = Clock.format(seconds);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setFont(new Font(Font.MONOSPACED, Font.BOLD, Math.max(6, image.getHeight() / 6)));
            int textWidth = graphics.getFontMetrics().stringWidth(clock);
            int textHeight = graphics.getFontMetrics().getAscent();
            graphics.setColor(Color.BLACK);
            graphics.fillRect(0, 0, textWidth + 2, textHeight + 2);
            graphics.setColor(Color.WHITE);
            graphics.drawString(clock, 1, textHeight);
        } finally {
            graphics.dispose();
        }
    }

    private static void toChannels(BufferedImage image, float[] pixels, int offset) {
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int plane = rgb.length;
        for (int p = 0; p < plane; p++) {
            int value = rgb[p];
            pixels[offset + p] = ((value >> 16) & 0xFF) / 255f;
            pixels[offset + plane + p] = ((value >> 8) & 0xFF) / 255f;
            pixels[offset + 2 * plane + p] = (value & 0xFF) / 255f;
        }
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception ignored) {
            // Already failing with the error that matters.
        }
    }
}
