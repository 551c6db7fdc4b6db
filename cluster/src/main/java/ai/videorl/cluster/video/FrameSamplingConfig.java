package ai.videorl.cluster.video;

import ai.videorl.common.error.VideoRlException;

import java.io.Serializable;

/**
 * How frames are taken from a video, the way the recipes feed their models: at {@code fps}
 * frames per second of video, at most {@code maxFrames} (then evenly spaced over the whole
 * video) and at least {@code minFrames} (short videos), each resized to {@code width} x
 * {@code height} keeping its aspect (black padding), optionally with the frame's MM:SS time
 * burnt into its top-left corner (Video-R2 does, so a model can read times).
 *
 * @param fps frames sampled per second of video, e.g. 2.0
 * @param minFrames at least this many frames (unless the video has fewer)
 * @param maxFrames at most this many frames
 * @param width output width in pixels
 * @param height output height in pixels
 * @param burnClock draw the MM:SS timestamp into each frame
 */
public record FrameSamplingConfig(double fps, int minFrames, int maxFrames, int width, int height, boolean burnClock)
        implements Serializable {

    public static final FrameSamplingConfig DEFAULTS = new FrameSamplingConfig(2.0, 4, 32, 64, 64, false);

    public FrameSamplingConfig {
        require(fps > 0 && Double.isFinite(fps), "video.fps must be positive, got " + fps);
        require(minFrames >= 1, "video.min_frames must be at least 1, got " + minFrames);
        require(maxFrames >= minFrames, "video.max_frames (" + maxFrames + ") must be at least video.min_frames (" + minFrames + ")");
        require(width >= 8 && height >= 8, "video frame size must be at least 8x8, got " + width + "x" + height);
    }

    /** The times (seconds) to sample from a video of this length with this many frames. */
    public double[] sampleTimes(double durationSeconds, int frameCount) {
        int wanted = (int) Math.floor(durationSeconds * fps + 1e-9);
        int count = Math.min(frameCount, Math.max(minFrames, Math.min(maxFrames, wanted)));
        count = Math.max(1, count);
        double[] times = new double[count];
        boolean atRate = count == wanted;
        for (int i = 0; i < count; i++) {
            times[i] = atRate ? i / fps : i * durationSeconds / count;
        }
        return times;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
