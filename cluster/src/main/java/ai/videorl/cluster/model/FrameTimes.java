package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Locale;

/**
 * Each frame's time as the text the policy reads after the frame ({@code model.frame_times}):
 * seconds with one decimal, the way the recipes' answers write them ("2.5"), right-aligned in a
 * fixed number of characters so every video's frames take the same positions. One token a
 * character: the tokenizer holds every printable ASCII character as a piece of its own.
 */
public final class FrameTimes {

    private FrameTimes() {
    }

    /**
     * Token ids [F · width]: frame after frame, its time's characters.
     *
     * @param seconds each frame's time
     * @param width characters a time takes, {@code model.frame_times}
     * @param video names the video in errors
     */
    public static int[] tokens(double[] seconds, int width, VocabularyTokenizer tokenizer, String video) {
        int[] tokens = new int[seconds.length * width];
        for (int frame = 0; frame < seconds.length; frame++) {
            String text = text(seconds[frame]);
            if (text.length() > width) {
                throw VideoRlException.invalidConfiguration(video + ": the frame at " + text + " s needs " + text.length()
                        + " characters, but the policy writes a frame's time in " + width + " (its model.frame_times; a policy"
                        + " for videos this long needs one trained with more)");
            }
            String aligned = " ".repeat(width - text.length()) + text;
            for (int c = 0; c < width; c++) {
                int id = tokenizer.id(aligned.substring(c, c + 1));
                if (id < 0) {
                    throw new IllegalStateException("the vocabulary has no piece for '" + aligned.charAt(c) + "'");
                }
                tokens[frame * width + c] = id;
            }
        }
        return tokens;
    }

    /** A time as the answers write it: seconds with one decimal. */
    static String text(double seconds) {
        return String.format(Locale.ROOT, "%.1f", Math.max(0, seconds));
    }
}
