package ai.videorl.cluster.model.qwen;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.videorl.cluster.model.PolicyInputs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Qwen2.5-VL prompts with their videos: each row's {@code input_ids} (template rendered, video
 * placeholder expanded; rows differ in length) and which of the batch's videos it shows, so the
 * rollouts of a group hold their video's pixels once.
 *
 * @param prompts each row's ids
 * @param videos the batch's distinct videos, preprocessed
 * @param videoOfRow for each row, its video's index in {@code videos}
 */
public record QwenPolicyInputs(int[][] prompts, List<QwenVideoInputs> videos, int[] videoOfRow) implements PolicyInputs {

    /** The id left padding holds: any id serves, its positions are masked out of attention and positions. */
    private static final int PADDING = 0;

    public QwenPolicyInputs {
        Objects.requireNonNull(prompts, "prompts");
        videos = List.copyOf(videos);
        if (prompts.length == 0 || videoOfRow.length != prompts.length) {
            throw new IllegalArgumentException(prompts.length + " prompts and " + videoOfRow.length + " video indices");
        }
        for (int video : videoOfRow) {
            if (video < 0 || video >= videos.size()) {
                throw new IllegalArgumentException("video index " + video + " of " + videos.size() + " videos");
            }
        }
    }

    @Override
    public int batch() {
        return prompts.length;
    }

    @Override
    public QwenPolicyInputs repeatEach(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one sample per prompt, got " + n);
        }
        int[][] repeated = new int[prompts.length * n][];
        int[] videoOf = new int[prompts.length * n];
        for (int b = 0; b < prompts.length; b++) {
            for (int copy = 0; copy < n; copy++) {
                repeated[b * n + copy] = prompts[b].clone();
                videoOf[b * n + copy] = videoOfRow[b];
            }
        }
        return new QwenPolicyInputs(repeated, videos, videoOf);
    }

    /** The model's batch: rows left-padded to the longest; each distinct video's patches once. */
    Qwen25VlModel.Prompts toModel(NDManager scope) {
        int length = Arrays.stream(prompts).mapToInt(prompt -> prompt.length).max().orElseThrow();
        boolean padded = Arrays.stream(prompts).anyMatch(prompt -> prompt.length != length);
        int[][] ids = new int[prompts.length][length];
        int[][] mask = padded ? new int[prompts.length][length] : null;
        for (int b = 0; b < prompts.length; b++) {
            int pad = length - prompts[b].length;
            Arrays.fill(ids[b], 0, pad, PADDING);
            System.arraycopy(prompts[b], 0, ids[b], pad, prompts[b].length);
            if (mask != null) {
                Arrays.fill(mask[b], pad, length, 1);
            }
        }
        List<MropePositions.VideoGrid> grids = new ArrayList<>(videos.size());
        long rows = 0;
        for (QwenVideoInputs video : videos) {
            grids.add(new MropePositions.VideoGrid(video.gridT(), video.gridH(), video.gridW(), video.secondsPerGrid()));
            rows += video.rows();
        }
        int columns = videos.get(0).columns();
        float[] pixels = new float[Math.toIntExact(rows * columns)];
        int offset = 0;
        for (QwenVideoInputs video : videos) {
            System.arraycopy(video.pixelValues(), 0, pixels, offset, video.pixelValues().length);
            offset += video.pixelValues().length;
        }
        return new Qwen25VlModel.Prompts(ids, mask, scope.create(pixels, new Shape(rows, columns)), grids, videoOfRow.clone());
    }
}
