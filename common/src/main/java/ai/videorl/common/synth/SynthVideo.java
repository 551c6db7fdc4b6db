package ai.videorl.common.synth;

import java.util.Locale;
import java.util.Objects;

/**
 * One video of a synthetic benchmark: its index, the scene it shows and what is asked about it.
 *
 * @param index position in the benchmark, from 0; names the files
 * @param scene the visual ground truth
 * @param plan the questions' subjects
 */
public record SynthVideo(int index, Scene scene, QuestionPlan plan) {

    /** Where videos live, relative to the benchmark directory. */
    public static final String VIDEO_DIRECTORY = "videos";

    public SynthVideo {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative, got " + index);
        }
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(plan, "plan");
    }

    /** The zero-padded index, e.g. "000042": the video's file name and its samples' id prefix. */
    public String id() {
        return String.format(Locale.ROOT, "%06d", index);
    }

    /** The video file relative to the benchmark directory, e.g. "videos/000042.mp4". */
    public String videoPath() {
        return VIDEO_DIRECTORY + "/" + id() + ".mp4";
    }
}
