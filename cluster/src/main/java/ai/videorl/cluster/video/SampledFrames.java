package ai.videorl.cluster.video;

import java.util.Objects;

/**
 * Frames ready for the model: {@code pixels} holds {@code count} frames of 3 x {@code height} x
 * {@code width} RGB values in [0, 1], laid out frame-major, then channel, row, column (N C H W).
 *
 * @param count number of frames
 * @param height rows per frame
 * @param width columns per frame
 * @param pixels the values, {@code count · 3 · height · width} of them
 * @param timestamps each frame's presentation time in seconds, as decoded
 * @param probe what the source video holds
 */
public record SampledFrames(int count, int height, int width, float[] pixels, double[] timestamps, VideoProbe probe) {

    public SampledFrames {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(probe, "probe");
        if (pixels.length != count * 3 * height * width || timestamps.length != count) {
            throw new IllegalArgumentException(count + " frames of " + width + "x" + height + " need "
                    + count * 3 * height * width + " values and " + count + " timestamps, got " + pixels.length
                    + " and " + timestamps.length);
        }
    }

    /** The value of channel {@code channel} (0 red, 1 green, 2 blue) at a pixel of a frame. */
    public float value(int frame, int channel, int row, int column) {
        return pixels[((frame * 3 + channel) * height + row) * width + column];
    }

    /** Heap bytes held, for memory accounting. */
    public long retainedBytes() {
        return 4L * pixels.length + 8L * timestamps.length;
    }
}
