package ai.videorl.cluster.model.qwen;

import java.util.Arrays;
import java.util.Objects;

/**
 * A prompt with one video, ready for Qwen2.5-VL.
 *
 * @param prompt the rendered chat template, before the video placeholder is expanded
 * @param inputIds {@code input_ids}: the prompt tokenized with the placeholder expanded
 * @param video {@code pixel_values_videos}, {@code video_grid_thw}, {@code second_per_grid_ts}
 */
public record QwenInputs(String prompt, int[] inputIds, QwenVideoInputs video) {

    public QwenInputs {
        Objects.requireNonNull(prompt, "prompt");
        inputIds = inputIds.clone();
        Objects.requireNonNull(video, "video");
    }

    @Override
    public int[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QwenInputs that && prompt.equals(that.prompt) && Arrays.equals(inputIds, that.inputIds)
                && video.equals(that.video);
    }

    @Override
    public int hashCode() {
        return prompt.hashCode() * 31 + Arrays.hashCode(inputIds);
    }

    @Override
    public String toString() {
        return "QwenInputs[" + inputIds.length + " tokens, " + video + "]";
    }
}
