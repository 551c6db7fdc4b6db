package ai.videorl.cluster.model.qwen;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each patch of a batch of videos goes in the vision tower, as transformers 4.57.6's
 * {@code Qwen2_5_VisionTransformerPretrainedModel} lays it out ({@code rot_pos_emb},
 * {@code get_window_index}, {@code cu_seqlens}).
 *
 * <p>Patches arrive in merge-unit order (per frame pair, each 2x2 block of patches together, blocks
 * row by row), and that is the order of {@link #rows} and {@link #columns}. The tower then
 * reorders whole merge units into windows: per frame pair, windows of W x W units row by row (the
 * last row and column of windows cut short by the grid's edge), units row by row within a window.
 * Window blocks attend within a window, full-attention blocks within a frame pair.
 *
 * @param rows each patch's row in its frame's patch grid, in arrival order (the 2-D rotary position)
 * @param columns each patch's column
 * @param windowOrder merge units in window order: entry k is the arrival index of the k-th unit
 * @param windowLengths each window's length in patches, in window order (no empty windows)
 * @param frameLengths each frame pair's length in patches
 */
public record VisionLayout(int[] rows, int[] columns, int[] windowOrder, int[] windowLengths, int[] frameLengths) {

    public static VisionLayout of(List<MropePositions.VideoGrid> videos, Qwen25VlConfig.Vision vision) {
        int merge = vision.spatialMergeSize();
        int window = vision.windowUnits();
        int patches = 0;
        for (MropePositions.VideoGrid grid : videos) {
            if (grid.height() % merge != 0 || grid.width() % merge != 0) {
                throw new IllegalArgumentException("a grid of " + grid.height() + "x" + grid.width()
                        + " patches is not a multiple of the merge size " + merge);
            }
            patches += grid.frames() * grid.height() * grid.width();
        }
        int[] rows = new int[patches];
        int[] columns = new int[patches];
        List<Integer> order = new ArrayList<>();
        List<Integer> windows = new ArrayList<>();
        List<Integer> frames = new ArrayList<>();
        int patch = 0;
        int unitOffset = 0;
        for (MropePositions.VideoGrid grid : videos) {
            int unitRows = grid.height() / merge;
            int unitColumns = grid.width() / merge;
            for (int t = 0; t < grid.frames(); t++) {
                frames.add(grid.height() * grid.width());
                for (int unitRow = 0; unitRow < unitRows; unitRow++) {
                    for (int unitColumn = 0; unitColumn < unitColumns; unitColumn++) {
                        for (int i = 0; i < merge; i++) {
                            for (int j = 0; j < merge; j++) {
                                rows[patch] = unitRow * merge + i;
                                columns[patch] = unitColumn * merge + j;
                                patch++;
                            }
                        }
                    }
                }
                int frameUnits = t * unitRows * unitColumns;
                for (int windowRow = 0; windowRow < unitRows; windowRow += window) {
                    for (int windowColumn = 0; windowColumn < unitColumns; windowColumn += window) {
                        int units = 0;
                        for (int r = windowRow; r < Math.min(windowRow + window, unitRows); r++) {
                            for (int c = windowColumn; c < Math.min(windowColumn + window, unitColumns); c++) {
                                order.add(unitOffset + frameUnits + r * unitColumns + c);
                                units++;
                            }
                        }
                        windows.add(units * merge * merge);
                    }
                }
            }
            unitOffset += grid.frames() * unitRows * unitColumns;
        }
        return new VisionLayout(rows, columns, order.stream().mapToInt(Integer::intValue).toArray(),
                windows.stream().mapToInt(Integer::intValue).toArray(), frames.stream().mapToInt(Integer::intValue).toArray());
    }

    public int patches() {
        return rows.length;
    }

    /** The inverse of {@link #windowOrder}: entry u is unit u's place in window order. */
    public int[] arrivalOrder() {
        int[] inverse = new int[windowOrder.length];
        for (int k = 0; k < windowOrder.length; k++) {
            inverse[windowOrder[k]] = k;
        }
        return inverse;
    }
}
