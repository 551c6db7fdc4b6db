package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MropePositionsTest {

    static final int VIDEO = 1002;
    static final int START = 1003;
    static final int END = 1004;

    static Qwen25VlConfig config(int tokensPerSecond) {
        return new Qwen25VlConfig(
                new Qwen25VlConfig.Text(1024, 32, 64, 2, 4, 2, 1e-6, 1e6, new int[] {2, 1, 1}, true),
                new Qwen25VlConfig.Vision(2, 32, 2, 48, 32, 3, 14, 2, 2, 56, new int[] {1}, tokensPerSecond),
                VIDEO, 1001, START, END);
    }

    /** Two text tokens, a 2x4x4-patch video (8 merged tokens) between its tags, one text token. */
    private static int[] tokens() {
        return new int[] {5, 6, START, VIDEO, VIDEO, VIDEO, VIDEO, VIDEO, VIDEO, VIDEO, VIDEO, END, 7};
    }

    @Test
    void videoTokensTakeTimeRowAndColumnAfterTheTextBeforeThem() {
        MropePositions positions = MropePositions.of(new int[][] {tokens()}, null,
                List.of(new VideoGrid(2, 4, 4, 1.0)), config(2));
        // Text 0, 1, START 2; the video starts at 3: time 3 + t·(1 s · 2 a second), row 3 + r, column 3 + c.
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 5, 5, 5, 5, 6, 7}, positions.positions()[0][0]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 4, 4, 3, 3, 4, 4, 6, 7}, positions.positions()[1][0]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 3, 4, 3, 4, 3, 4, 6, 7}, positions.positions()[2][0]);
        assertEquals(7 + 1 - 13, positions.deltas()[0]);
    }

    @Test
    void secondsPerGridAreCutToWholeSecondsAsTheReferenceCastsThem() {
        long[] half = MropePositions.of(new int[][] {tokens()}, null, List.of(new VideoGrid(2, 4, 4, 0.5)), config(2))
                .positions()[0][0];
        long[] oneAndHalf = MropePositions.of(new int[][] {tokens()}, null, List.of(new VideoGrid(2, 4, 4, 1.5)), config(2))
                .positions()[0][0];
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 5, 6}, half);
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 5, 5, 5, 5, 6, 7}, oneAndHalf);
    }

    @Test
    void paddingIsSkippedAndGetsOne() {
        int[] padded = new int[15];
        int[] mask = new int[15];
        System.arraycopy(tokens(), 0, padded, 2, 13);
        for (int k = 2; k < 15; k++) {
            mask[k] = 1;
        }
        MropePositions positions = MropePositions.of(new int[][] {padded}, new int[][] {mask},
                List.of(new VideoGrid(2, 4, 4, 1.0)), config(2));
        assertArrayEquals(new long[] {1, 1, 0, 1, 2, 3, 3, 3, 3, 5, 5, 5, 5, 6, 7}, positions.positions()[0][0]);
        assertEquals(7 + 1 - 15, positions.deltas()[0]);
    }

    @Test
    void textAloneCountsOn() {
        MropePositions positions = MropePositions.of(new int[][] {{4, 5, 6}}, null, List.of(), config(2));
        for (int row = 0; row < 3; row++) {
            assertArrayEquals(new long[] {0, 1, 2}, positions.positions()[row][0]);
        }
        assertEquals(0, positions.deltas()[0]);
    }

    @Test
    void aResponsesVisionPlaceholdersAreTextAsDecodingEmbeddedThem() {
        int[] prompt = tokens();
        int[] sampled = java.util.Arrays.copyOf(prompt, prompt.length + 3);
        sampled[prompt.length] = VIDEO;
        sampled[prompt.length + 1] = 1001;
        sampled[prompt.length + 2] = START;
        int[] text = java.util.Arrays.copyOf(prompt, prompt.length + 3);
        MropePositions fromSampled = MropePositions.of(new int[][] {sampled}, null, List.of(new VideoGrid(2, 4, 4, 1.0)), config(2),
                prompt.length);
        MropePositions fromText = MropePositions.of(new int[][] {text}, null, List.of(new VideoGrid(2, 4, 4, 1.0)), config(2));
        for (int row = 0; row < 3; row++) {
            assertArrayEquals(fromText.positions()[row][0], fromSampled.positions()[row][0]);
        }
        // Over the whole sequence the same tokens are a second video and an image: refused.
        assertThrows(IllegalArgumentException.class, () -> MropePositions.of(new int[][] {sampled}, null,
                List.of(new VideoGrid(2, 4, 4, 1.0)), config(2)));
    }

    @Test
    void videosAndTheirTokensMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> MropePositions.of(new int[][] {tokens()}, null, List.of(), config(2)));
        assertThrows(IllegalArgumentException.class, () -> MropePositions.of(new int[][] {tokens()}, null,
                List.of(new VideoGrid(2, 4, 6, 1.0)), config(2)));
        assertThrows(IllegalArgumentException.class, () -> MropePositions.of(new int[][] {{4, 5}}, null,
                List.of(new VideoGrid(2, 4, 4, 1.0)), config(2)));
    }
}
