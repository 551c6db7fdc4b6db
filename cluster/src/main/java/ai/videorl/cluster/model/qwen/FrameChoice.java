package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which frames of a video Qwen2.5-VL sees, chosen exactly as qwen-vl-utils 0.0.14 does
 * ({@code smart_nframes}, then {@code torch.linspace(0, total - 1, n).round().long()}; the same in
 * 0.0.10): QwenLM/Qwen3-VL commit 96588727e44c78b25ba03ea03b8e12f7e64fd0da,
 * {@code qwen-vl-utils/src/qwen_vl_utils/vision_process.py}.
 *
 * <p>The count: with {@code nframes}, {@code round(nframes / 2) · 2}; else
 * {@code total / video_fps · fps} clamped to [{@code ⌈min_frames / 2⌉ · 2}, {@code ⌊max_frames / 2⌋ · 2}]
 * and to {@code total}, then floored to an even number (FRAME_FACTOR 2). A video too long for
 * {@code max_frames} is sampled more sparsely, not refused; a count outside [2, total] (a video of
 * one frame, say) is refused, as the reference raises.
 *
 * <p>The indices repeat torch's float32 arithmetic bit for bit: {@code step = (float) (total - 1)
 * / (float) (n - 1)}, the first half {@code fma(step, i, 0)}, the second half {@code fma(-step,
 * n - 1 - i, total - 1)} (the contraction torch's AVX2 and AVX-512 kernels compile to; checked
 * against torch 2.13 for 8,944 (total, n) pairs), rounded half to even. Exact halves never occur
 * (n is even), but near-halves do for long videos, where double arithmetic would pick other frames.
 *
 * @param totalFrames frames in the video
 * @param videoFps the video's frame rate
 * @param indices the chosen frames, ascending
 * @param sampleFps {@code n / total · video_fps}, the rate the chosen frames stand for
 */
public record FrameChoice(int totalFrames, double videoFps, int[] indices, double sampleFps) {

    /** qwen-vl-utils' FRAME_FACTOR: frame counts are multiples of it. */
    static final int FRAME_FACTOR = 2;
    static final double DEFAULT_FPS = 2.0;
    static final int DEFAULT_MIN_FRAMES = 4;
    static final int DEFAULT_MAX_FRAMES = 768;

    public FrameChoice {
        indices = indices.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    /** How many frames were chosen. */
    public int count() {
        return indices.length;
    }

    /** Seconds of video one temporal patch of {@code temporalPatchSize} frames spans: the processor's {@code second_per_grid_ts}. */
    public double secondsPerGrid(int temporalPatchSize) {
        return temporalPatchSize / sampleFps;
    }

    /**
     * Chooses frames of a video of {@code totalFrames} frames at {@code videoFps}.
     *
     * @throws VideoRlException when the reference would raise (fewer than 2 frames to choose, or
     *     more than the video holds)
     */
    public static FrameChoice choose(int totalFrames, double videoFps, QwenVideoOptions options) {
        if (totalFrames < 1 || !(videoFps > 0)) {
            throw VideoRlException.invalidInput("a video needs frames and a frame rate to sample, got " + totalFrames
                    + " frames at " + videoFps + " fps");
        }
        int count = frameCount(totalFrames, videoFps, options);
        double sampleFps = count / Math.max(totalFrames, 1e-6) * videoFps;
        return new FrameChoice(totalFrames, videoFps, linspaceRounded(totalFrames - 1, count), sampleFps);
    }

    /** qwen-vl-utils' {@code smart_nframes}. */
    static int frameCount(int totalFrames, double videoFps, QwenVideoOptions options) {
        double count;
        if (options.nframes() != null) {
            count = roundByFactor(options.nframes(), FRAME_FACTOR);
        } else {
            double fps = options.fps() != null ? options.fps() : DEFAULT_FPS;
            double minFrames = Math.ceil((options.minFrames() != null ? options.minFrames() : DEFAULT_MIN_FRAMES)
                    / (double) FRAME_FACTOR) * FRAME_FACTOR;
            double maxFrames = Math.floor((options.maxFrames() != null ? options.maxFrames()
                    : Math.min(DEFAULT_MAX_FRAMES, totalFrames)) / (double) FRAME_FACTOR) * FRAME_FACTOR;
            count = totalFrames / videoFps * fps;
            count = Math.min(Math.min(Math.max(count, minFrames), maxFrames), totalFrames);
            count = Math.floor(count / FRAME_FACTOR) * FRAME_FACTOR;
        }
        if (!(FRAME_FACTOR <= count && count <= totalFrames)) {
            throw VideoRlException.invalidInput(String.format(Locale.ROOT,
                    "cannot choose frames: the count must lie in [%d, %d] (the video's frames), got %d "
                            + "(qwen-vl-utils raises the same: \"nframes should in interval\")",
                    FRAME_FACTOR, totalFrames, (long) count));
        }
        return (int) count;
    }

    /** {@code torch.linspace(0, end, steps).round().long()} in float32 as torch computes it (see the class comment). */
    static int[] linspaceRounded(int end, int steps) {
        int[] indices = new int[steps];
        if (steps == 1) {
            return indices;
        }
        float start = 0f;
        float last = end;
        float step = (last - start) / (float) (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            float value = i < halfway ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), last);
            indices[i] = (int) Math.rint(value);
        }
        return indices;
    }

    /** Python's {@code round(number / factor) * factor}: half to even. */
    static double roundByFactor(double number, int factor) {
        return Math.rint(number / factor) * factor;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FrameChoice that && totalFrames == that.totalFrames
                && Double.compare(videoFps, that.videoFps) == 0 && Double.compare(sampleFps, that.sampleFps) == 0
                && Arrays.equals(indices, that.indices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Integer.hashCode(totalFrames) + Arrays.hashCode(indices)) + Double.hashCode(sampleFps);
    }

    @Override
    public String toString() {
        return "FrameChoice[" + indices.length + " of " + totalFrames + " frames at " + videoFps + " fps: "
                + Arrays.toString(indices) + ", sample fps " + sampleFps + "]";
    }
}
