package ai.videorl.cluster.video;

/**
 * What a video holds, as its container and first/last frames report it.
 *
 * @param durationSeconds length of the video stream
 * @param frameRate frames per second
 * @param frameCount frames in the video stream (estimated from the container when it does not count them)
 * @param width picture width in pixels
 * @param height picture height in pixels
 * @param codec the video codec's name, e.g. {@code h264}
 */
public record VideoProbe(double durationSeconds, double frameRate, int frameCount, int width, int height, String codec) {

    public VideoProbe {
        if (!(durationSeconds > 0) || !(frameRate > 0) || frameCount < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("not a usable video: " + durationSeconds + " s, " + frameRate + " fps, "
                    + frameCount + " frames, " + width + "x" + height);
        }
    }
}
