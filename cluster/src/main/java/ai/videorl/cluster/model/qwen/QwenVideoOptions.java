package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;

/**
 * How a video becomes Qwen2.5-VL input: the keys qwen-vl-utils reads from a message's video
 * element ({@code {"type": "video", "video": ..., "fps": 2.0, ...}}). An absent setting (null)
 * takes qwen-vl-utils' default, as the reference does when the key is missing.
 *
 * @param fps frames to sample per second of video; default 2.0. Exclusive with {@code nframes}
 * @param nframes a fixed frame count (rounded to an even number); no default
 * @param minFrames fewest frames when sampling by fps (raised to an even number); default 4
 * @param maxFrames most frames when sampling by fps (lowered to an even number); default
 *     min(768, the video's frames)
 * @param minPixels fewest pixels a frame is resized to; default 128 · 28 · 28
 * @param maxPixels most pixels a frame is resized to; default and ceiling
 *     max(min(768 · 28 · 28, totalPixels / frames · 2), ⌊minPixels · 1.05⌋)
 * @param totalPixels the pixel budget of the whole video; default 128000 · 28 · 28 · 0.9
 */
public record QwenVideoOptions(Double fps, Integer nframes, Integer minFrames, Integer maxFrames,
                               Integer minPixels, Integer maxPixels, Double totalPixels) {

    public QwenVideoOptions {
        if (fps != null && nframes != null) {
            throw VideoRlException.invalidConfiguration("give either fps or nframes for a video, not both "
                    + "(qwen-vl-utils: \"Only accept either `fps` or `nframes`\")");
        }
        positive("fps", fps);
        positive("nframes", nframes);
        positive("min_frames", minFrames);
        positive("max_frames", maxFrames);
        positive("min_pixels", minPixels);
        positive("max_pixels", maxPixels);
        positive("total_pixels", totalPixels);
    }

    /** Every setting at qwen-vl-utils' default. */
    public static QwenVideoOptions defaults() {
        return new QwenVideoOptions(null, null, null, null, null, null, null);
    }

    public QwenVideoOptions withFps(double value) {
        return new QwenVideoOptions(value, nframes, minFrames, maxFrames, minPixels, maxPixels, totalPixels);
    }

    public QwenVideoOptions withNframes(int value) {
        return new QwenVideoOptions(fps, value, minFrames, maxFrames, minPixels, maxPixels, totalPixels);
    }

    public QwenVideoOptions withMinFrames(int value) {
        return new QwenVideoOptions(fps, nframes, value, maxFrames, minPixels, maxPixels, totalPixels);
    }

    public QwenVideoOptions withMaxFrames(int value) {
        return new QwenVideoOptions(fps, nframes, minFrames, value, minPixels, maxPixels, totalPixels);
    }

    public QwenVideoOptions withMinPixels(int value) {
        return new QwenVideoOptions(fps, nframes, minFrames, maxFrames, value, maxPixels, totalPixels);
    }

    public QwenVideoOptions withMaxPixels(int value) {
        return new QwenVideoOptions(fps, nframes, minFrames, maxFrames, minPixels, value, totalPixels);
    }

    public QwenVideoOptions withTotalPixels(double value) {
        return new QwenVideoOptions(fps, nframes, minFrames, maxFrames, minPixels, maxPixels, value);
    }

    private static void positive(String name, Number value) {
        if (value != null && !(value.doubleValue() > 0)) {
            throw VideoRlException.invalidConfiguration("video option " + name + " must be positive, got " + value);
        }
    }
}
