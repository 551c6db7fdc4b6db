package ai.videorl.cluster.model.qwen;

import java.util.Objects;

/**
 * One video as Qwen2.5-VL takes it: what transformers' processor returns as
 * {@code pixel_values_videos}, {@code video_grid_thw} and {@code second_per_grid_ts}, plus how the
 * frames were chosen.
 *
 * <p>{@code pixelValues} is the {@code [gridT · gridH · gridW, C · T · P · P]} matrix row-major: a
 * row per 14 x 14 patch of a temporal pair of frames, rows ordered by (t, block row, block column,
 * row within the 2 x 2 merge block, column within it), columns by (channel, frame of the pair,
 * pixel row, pixel column).
 *
 * @param pixelValues the patches, {@code rows() · columns()} values
 * @param gridT temporal patches (frames / temporal patch size)
 * @param gridH patch rows (height / patch size)
 * @param gridW patch columns (width / patch size)
 * @param columns values per patch (channels · temporal patch size · patch size²)
 * @param mergeSize patches merged per side into one token
 * @param secondsPerGrid {@code second_per_grid_ts}: temporal patch size / sample fps
 * @param frames which frames were chosen and at what rate
 * @param height frame height after resizing
 * @param width frame width after resizing
 */
public record QwenVideoInputs(float[] pixelValues, int gridT, int gridH, int gridW, int columns, int mergeSize,
                              double secondsPerGrid, FrameChoice frames, int height, int width) {

    public QwenVideoInputs {
        Objects.requireNonNull(pixelValues, "pixelValues");
        Objects.requireNonNull(frames, "frames");
        if ((long) gridT * gridH * gridW * columns != pixelValues.length) {
            throw new IllegalArgumentException("a grid of " + gridT + "x" + gridH + "x" + gridW + " patches of " + columns
                    + " values needs " + (long) gridT * gridH * gridW * columns + " values, got " + pixelValues.length);
        }
    }

    /** Patches: {@code pixel_values_videos.shape[0]}. */
    public int rows() {
        return gridT * gridH * gridW;
    }

    /** {@code video_grid_thw} of this video. */
    public int[] gridThw() {
        return new int[] {gridT, gridH, gridW};
    }

    /** {@code <|video_pad|>} tokens the prompt holds for this video: patches / merge². */
    public int videoTokens() {
        return rows() / (mergeSize * mergeSize);
    }

    /** Heap bytes held. */
    public long retainedBytes() {
        return 4L * pixelValues.length;
    }

    @Override
    public String toString() {
        return "QwenVideoInputs[grid " + gridT + "x" + gridH + "x" + gridW + ", " + rows() + "x" + columns + " values, "
                + width + "x" + height + " frames, " + videoTokens() + " tokens, " + secondsPerGrid + " s per grid]";
    }
}
