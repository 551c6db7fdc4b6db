package ai.videorl.common.synth;

import ai.videorl.common.error.VideoRlException;

/**
 * The geometry and timing of a synthetic video. Frame {@code i} shows the scene at time
 * {@code i / fps} seconds.
 *
 * <p>Scene events (shapes appearing and disappearing) lie on a 0.5 s grid, so a sampler at
 * 2 fps sees every change; for every such instant to also be a frame, {@code fps} is even and
 * the duration a multiple of 0.5 s. Width and height are even because H.264 in yuv420p halves
 * both for the colour planes.
 *
 * @param width frame width in pixels: even, 48 to 4096
 * @param height frame height in pixels: even, 48 to 4096
 * @param fps frames per second: even, 2 to 120
 * @param durationSeconds a multiple of 0.5, 2 to 3599 (claims are written MM:SS)
 */
public record VideoFormat(int width, int height, int fps, double durationSeconds) {

    /** The default: small enough for thousands of videos in minutes, big enough for 16-28 px shapes. */
    public static final VideoFormat DEFAULT = new VideoFormat(128, 96, 8, 4.0);

    static final int MIN_SIDE = 48;
    static final int MAX_SIDE = 4096;
    static final int MAX_FPS = 120;
    static final double MIN_DURATION = 2.0;
    static final double MAX_DURATION = 3599.0;

    public VideoFormat {
        requireEven("width", width, MIN_SIDE, MAX_SIDE);
        requireEven("height", height, MIN_SIDE, MAX_SIDE);
        requireEven("fps", fps, 2, MAX_FPS);
        if (!(durationSeconds >= MIN_DURATION && durationSeconds <= MAX_DURATION)
                || durationSeconds * 2 != Math.rint(durationSeconds * 2)) {
            throw VideoRlException.invalidConfiguration("duration must be a multiple of 0.5 s between "
                    + MIN_DURATION + " and " + MAX_DURATION + ", got " + durationSeconds);
        }
    }

    private static void requireEven(String name, int value, int min, int max) {
        if (value < min || value > max || value % 2 != 0) {
            throw VideoRlException.invalidConfiguration(name + " must be even and between " + min + " and " + max
                    + ", got " + value);
        }
    }

    /** How many frames the video has. */
    public int frameCount() {
        return (int) Math.round(durationSeconds * fps);
    }

    /** The scene time frame {@code index} shows, in seconds. */
    public double frameTime(int index) {
        return (double) index / fps;
    }

    /** The number of 0.5 s steps in the video: event times are {@code step / 2.0} for step in [0, this]. */
    public int halfSecondSteps() {
        return (int) Math.round(durationSeconds * 2);
    }
}
