package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;


/**
 * The shape of a video policy. Defaults follow what a tiny policy learns on 2 CPU cores (the
 * prototype in docs/experiments/README.md, Calibration): d = 64, 4 layers, 4 heads, 32x32
 * frames, 8 frames.
 *
 * @param vocabularySize tokens in the vocabulary
 * @param width model width d
 * @param layers transformer layers
 * @param heads attention heads; must divide the width
 * @param frameSize frames are frameSize x frameSize pixels; must be a multiple of the 4-pixel patch
 * @param maxFrames frames at most
 * @param maxLength positions at most: frame tokens + prompt + response
 * @param patchStride pixels between the first convolution's 4x4 patches: 4 cuts the frame into
 *                    disjoint patches, 2 overlaps them (finer, about 1.5x the cost of the policy)
 * @param frameTags object tags a linear head reads off each frame token (SFT's perception stage),
 *                  0 for none; the head is not part of the policy that generates
 * @param frameGrid each frame becomes frameGrid x frameGrid tokens, its patch features max-pooled
 *                  over each cell of a grid: with one token a frame, two shapes seen together
 *                  pool into one vector and which colour went with which kind is lost
 * @param frameTimes characters of each frame's time written as text after its tokens ("2.5" is 3),
 *                   0 for none: as Qwen3-VL interleaves textual timestamps with its frames, a time
 *                   the answer names is then a copy instead of a reading of a learned frame position
 */
public record PolicyConfig(int vocabularySize, int width, int layers, int heads, int frameSize, int maxFrames, int maxLength,
                           int patchStride, int frameTags, int frameGrid, int frameTimes) implements PolicySpec {

    @Override
    public PolicyArchitecture architecture() {
        return PolicyArchitecture.TINY;
    }


    /** Frames are cut into PATCH x PATCH patches by the first convolution. */
    public static final int PATCH = 4;

    /** Disjoint patches and no frame-tag head. */
    public PolicyConfig(int vocabularySize, int width, int layers, int heads, int frameSize, int maxFrames, int maxLength) {
        this(vocabularySize, width, layers, heads, frameSize, maxFrames, maxLength, PATCH, 0);
    }

    /** One token per frame. */
    public PolicyConfig(int vocabularySize, int width, int layers, int heads, int frameSize, int maxFrames, int maxLength,
                        int patchStride, int frameTags) {
        this(vocabularySize, width, layers, heads, frameSize, maxFrames, maxLength, patchStride, frameTags, 1);
    }

    /** No frame times. */
    public PolicyConfig(int vocabularySize, int width, int layers, int heads, int frameSize, int maxFrames, int maxLength,
                        int patchStride, int frameTags, int frameGrid) {
        this(vocabularySize, width, layers, heads, frameSize, maxFrames, maxLength, patchStride, frameTags, frameGrid, 0);
    }

    public static PolicyConfig defaults(int vocabularySize) {
        return new PolicyConfig(vocabularySize, 64, 4, 4, 32, 8, 192);
    }

    public PolicyConfig {
        require(vocabularySize >= 8, "model.vocabulary must have at least 8 tokens, got " + vocabularySize);
        require(width >= 8 && heads >= 1 && width % heads == 0,
                "model.width (" + width + ") must be a positive multiple of model.heads (" + heads + ")");
        require(layers >= 1, "model.layers must be at least 1, got " + layers);
        require(frameSize >= PATCH && frameSize % PATCH == 0, "video.frame_size must be a multiple of " + PATCH + ", got " + frameSize);
        require(maxFrames >= 1, "video.max_frames must be at least 1, got " + maxFrames);
        require(patchStride >= 1 && patchStride <= PATCH && (frameSize - PATCH) % patchStride == 0,
                "model.patch_stride must be 1-" + PATCH + " and step evenly across video.frame_size (" + frameSize + "), got " + patchStride);
        require(frameTags >= 0, "frame tags must be >= 0, got " + frameTags);
        int patchesAcross = (frameSize - PATCH) / patchStride + 1;
        require(frameGrid >= 1 && frameGrid <= patchesAcross,
                "model.frame_grid must be at least 1 and at most the patches across a frame (" + patchesAcross + "), got " + frameGrid);
        require(frameTimes >= 0, "model.frame_times must be >= 0, got " + frameTimes);
        require(maxLength > (long) maxFrames * ((long) frameGrid * frameGrid + frameTimes), "model.max_length (" + maxLength
                + ") must exceed the frame tokens, video.max_frames (" + maxFrames + ") x (model.frame_grid² (" + frameGrid * frameGrid
                + ") + model.frame_times (" + frameTimes + "))");
    }

    /** This shape with a head for {@code tags} frame tags (0: none). */
    public PolicyConfig withFrameTags(int tags) {
        return new PolicyConfig(vocabularySize, width, layers, heads, frameSize, maxFrames, maxLength, patchStride, tags, frameGrid, frameTimes);
    }

    /** Tokens that {@code frames} frames take in the sequence: one per cell of each frame's grid, then its time's characters. */
    public int frameTokens(int frames) {
        return frames * (cellsPerFrame() + frameTimes);
    }

    /** Cells of a frame's grid, each one token. */
    public int cellsPerFrame() {
        return frameGrid * frameGrid;
    }

    public int headWidth() {
        return width / heads;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
