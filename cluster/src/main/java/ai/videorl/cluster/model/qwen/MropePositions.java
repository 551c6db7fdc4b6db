package ai.videorl.cluster.model.qwen;

import java.util.Arrays;
import java.util.List;

/**
 * The language model's three rotary position rows (time, height, width) for a batch of token
 * sequences holding videos, as transformers 4.57.6's {@code Qwen2_5_VLModel.get_rope_index}
 * computes them.
 *
 * <p>Text tokens carry the same position in all three rows, counting on from the previous piece's
 * largest position plus one. A video's merged patch at (t, r, c) of its grid gets
 * {@code start + [t · ⌊second_per_grid⌋ · tokens_per_second, r, c]}, where start is the position
 * after the text before it. The reference casts {@code second_per_grid} to an integer before the
 * product (it builds it with the arange's int64 dtype): at 2 frames a second a grid step is 1 s
 * and the cast changes nothing; at 4 frames a second it is 0.5 s and every time position is 0.
 * Kept, because the released checkpoints were trained with it. Padding (attention mask 0) is
 * skipped and gets position 1 in every row; the delta of a row is its largest position plus one
 * minus the padded length, the offset decoding adds to each new token's index.
 *
 * @param positions [3][B][L]
 * @param deltas [B]
 */
public record MropePositions(long[][][] positions, long[] deltas) {

    /** One video's grid in patches (before the 2x2 merge) and seconds per temporal grid step. */
    public record VideoGrid(int frames, int height, int width, double secondsPerGrid) {

        int mergedTokens(int merge) {
            return frames * (height / merge) * (width / merge);
        }
    }

    /**
     * @param ids [B][L] token ids
     * @param attentionMask [B][L], 1 for real tokens and 0 for padding; null when nothing is padded
     * @param videos the videos in the order their tokens appear, row after row
     */
    public static MropePositions of(int[][] ids, int[][] attentionMask, List<VideoGrid> videos, Qwen25VlConfig config) {
        return of(ids, attentionMask, videos, config, ids.length == 0 ? 0 : ids[0].length);
    }

    /**
     * The same where only the first {@code promptColumns} columns are prompts: every token after
     * them is a response's, text whatever its id, as decoding embedded it (a policy may sample a
     * vision placeholder; transformers, which scans the whole sequence, would take it for one).
     */
    public static MropePositions of(int[][] ids, int[][] attentionMask, List<VideoGrid> videos, Qwen25VlConfig config, int promptColumns) {
        int batch = ids.length;
        int length = batch == 0 ? 0 : ids[0].length;
        long[][][] positions = new long[3][batch][length];
        long[] deltas = new long[batch];
        int merge = config.vision().spatialMergeSize();
        int video = 0;
        for (int b = 0; b < batch; b++) {
            if (ids[b].length != length) {
                throw new IllegalArgumentException("row " + b + " has " + ids[b].length + " tokens, row 0 " + length);
            }
            int[] real = realPositions(ids[b], attentionMask == null ? null : attentionMask[b]);
            long[][] row = new long[3][real.length];
            int filled = 0;
            long next = 0;
            int i = 0;
            while (i < real.length) {
                int token = ids[b][real[i]];
                boolean prompt = real[i] < promptColumns;
                if (prompt && token == config.imageTokenId()) {
                    throw new IllegalArgumentException("row " + b + " holds an image token; only videos are supported");
                }
                if (!prompt || token != config.videoTokenId()) {
                    for (int axis = 0; axis < 3; axis++) {
                        row[axis][filled] = next;
                    }
                    filled++;
                    next++;
                    i++;
                    continue;
                }
                if (video == videos.size()) {
                    throw new IllegalArgumentException("row " + b + " holds more videos than the " + videos.size() + " given");
                }
                VideoGrid grid = videos.get(video++);
                int tokens = grid.mergedTokens(merge);
                for (int k = 0; k < tokens; k++) {
                    if (i + k >= real.length || real[i + k] >= promptColumns || ids[b][real[i + k]] != config.videoTokenId()) {
                        throw new IllegalArgumentException("row " + b + ": a video of grid " + grid.frames() + "x"
                                + grid.height() + "x" + grid.width() + " needs " + tokens + " video tokens in a row, found " + k);
                    }
                }
                int mergedHeight = grid.height() / merge;
                int mergedWidth = grid.width() / merge;
                long step = (long) grid.secondsPerGrid() * config.vision().tokensPerSecond();
                long largest = next;
                for (int t = 0; t < grid.frames(); t++) {
                    for (int r = 0; r < mergedHeight; r++) {
                        for (int c = 0; c < mergedWidth; c++) {
                            row[0][filled] = next + t * step;
                            row[1][filled] = next + r;
                            row[2][filled] = next + c;
                            largest = Math.max(largest, Math.max(row[0][filled], Math.max(row[1][filled], row[2][filled])));
                            filled++;
                        }
                    }
                }
                next = largest + 1;
                i += tokens;
            }
            long largest = -1;
            for (int axis = 0; axis < 3; axis++) {
                Arrays.fill(positions[axis][b], 1);
                for (int k = 0; k < real.length; k++) {
                    positions[axis][b][real[k]] = row[axis][k];
                    largest = Math.max(largest, row[axis][k]);
                }
            }
            deltas[b] = largest + 1 - length;
        }
        if (video != videos.size()) {
            throw new IllegalArgumentException(videos.size() + " videos given, " + video + " found in the tokens");
        }
        return new MropePositions(positions, deltas);
    }

    private static int[] realPositions(int[] ids, int[] mask) {
        if (mask == null) {
            int[] all = new int[ids.length];
            Arrays.setAll(all, k -> k);
            return all;
        }
        if (mask.length != ids.length) {
            throw new IllegalArgumentException("an attention mask of " + mask.length + " for " + ids.length + " tokens");
        }
        return java.util.stream.IntStream.range(0, ids.length).filter(k -> mask[k] == 1).toArray();
    }
}
