package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class VisionLayoutTest {

    @Test
    void unitsGoIntoWindowsRowByRowCutShortAtTheEdge() {
        // 4 x 6 patches = 2 x 3 merge units; a window is 56 px / 14 px / 2 = 2 x 2 units.
        VisionLayout layout = VisionLayout.of(List.of(new VideoGrid(2, 4, 6, 1.0)), MropePositionsTest.config(2).vision());
        assertArrayEquals(new int[] {0, 1, 3, 4, 2, 5, 6, 7, 9, 10, 8, 11}, layout.windowOrder());
        assertArrayEquals(new int[] {16, 8, 16, 8}, layout.windowLengths());
        assertArrayEquals(new int[] {24, 24}, layout.frameLengths());
        assertArrayEquals(new int[] {0, 1, 4, 2, 3, 5, 6, 7, 10, 8, 9, 11}, layout.arrivalOrder());
    }

    @Test
    void patchesArriveTwoByTwo() {
        VisionLayout layout = VisionLayout.of(List.of(new VideoGrid(1, 4, 4, 1.0)), MropePositionsTest.config(2).vision());
        assertArrayEquals(new int[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, layout.rows());
        assertArrayEquals(new int[] {0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3}, layout.columns());
    }

    @Test
    void secondVideoUnitsFollowTheFirst() {
        VisionLayout layout = VisionLayout.of(List.of(new VideoGrid(1, 2, 2, 1.0), new VideoGrid(1, 2, 4, 1.0)),
                MropePositionsTest.config(2).vision());
        assertArrayEquals(new int[] {0, 1, 2}, layout.windowOrder());
        assertArrayEquals(new int[] {4, 8}, layout.windowLengths());
        assertArrayEquals(new int[] {4, 8}, layout.frameLengths());
    }
}
