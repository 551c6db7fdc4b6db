package ai.videorl.cluster.video;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes videos with FFmpeg ({@link VideoDecoder}) and samples frames as
 * {@link FrameSamplingConfig} says. Frames are decoded in order, seeking forward only across long
 * gaps, so a short clip costs one pass and a long film only the frames near each sample. Every
 * failure is a {@link VideoException} naming the file and the reason.
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
        try (VideoDecoder decoder = VideoDecoder.open(file, location)) {
            return decoder.probe();
        }
    }

    /** Samples frames of the video at {@code file}; {@code location} names it in errors. */
    public SampledFrames sample(Path file, String location) {
        try (VideoDecoder decoder = VideoDecoder.open(file, location)) {
            VideoProbe probe = decoder.probe();
            scaleInDecoder(decoder, probe);
            double[] times = config.sampleTimes(probe.durationSeconds(), probe.frameCount());
            int frameSize = 3 * config.height() * config.width();
            float[] pixels = new float[times.length * frameSize];
            double[] timestamps = new double[times.length];
            double halfFrame = 0.5 / probe.frameRate();
            double position = 0;
            for (int i = 0; i < times.length; i++) {
                if (times[i] - position > SEEK_GAP_SECONDS) {
                    decoder.seek(times[i]);
                }
                BufferedImage picture = pictureAt(decoder, times[i] - halfFrame, location, probe);
                timestamps[i] = decoder.pictureSeconds();
                position = timestamps[i];
                BufferedImage image = letterbox(picture);
                if (config.burnClock()) {
                    burnClock(image, timestamps[i]);
                }
                toChannels(image, pixels, i * frameSize);
            }
            return new SampledFrames(times.length, config.height(), config.width(), pixels, timestamps, probe);
        }
    }

    /**
     * Has FFmpeg's scaler bring each picture to its letterboxed size, averaging over the source
     * pixels each target pixel covers. Java2D's bilinear draw reads only the 2 x 2 source pixels
     * nearest each target pixel: shrinking a 128-pixel frame to 32 dropped three rows and columns
     * in four, so a small shape's outline depended on where it stood, not on what it was. It is
     * also cheaper: a 1080p picture is never converted at full size.
     */
    private void scaleInDecoder(VideoDecoder decoder, VideoProbe probe) {
        double scale = Math.min((double) config.width() / probe.width(), (double) config.height() / probe.height());
        decoder.scaleTo(Math.max(1, (int) Math.round(probe.width() * scale)),
                Math.max(1, (int) Math.round(probe.height() * scale)));
    }

    /** The first picture at or after {@code time} seconds; only that one is scaled. */
    private static BufferedImage pictureAt(VideoDecoder decoder, double time, String location, VideoProbe probe) {
        while (decoder.next()) {
            if (decoder.pictureSeconds() >= time) {
                return decoder.scaledPicture();
            }
        }
        String damaged = decoder.damagedPackets() == 0 ? ""
                : String.format(Locale.ROOT, " (%d damaged packets skipped)", decoder.damagedPackets());
        throw new VideoException(location, VideoException.Reason.TRUNCATED, String.format(Locale.ROOT,
                "ends before %.2f s although it announces %.2f s%s", time, probe.durationSeconds(), damaged));
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
}
