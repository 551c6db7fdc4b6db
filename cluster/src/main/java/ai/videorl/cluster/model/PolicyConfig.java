package ai.videorl.cluster.model;

import ai.videorl.common.error.VideoRlException;

import java.io.Serializable;

/**
 * The shape of a video policy. Defaults follow what a tiny policy learns on 2 CPU cores
 * (../shared/CALIBRATION.md): d = 64, 4 layers, 4 heads, 32x32 frames, 8 frames.
 *
 * @param vocabularySize tokens in the vocabulary
 * @param width model width d
 * @param layers transformer layers
 * @param heads attention heads; must divide the width
 * @param frameSize frames are frameSize x frameSize pixels; must be a multiple of the 4-pixel patch
 * @param maxFrames visual tokens at most (one per frame)
 * @param maxLength positions at most: frames + prompt + response
 */
public record PolicyConfig(int vocabularySize, int width, int layers, int heads, int frameSize, int maxFrames, int maxLength)
        implements Serializable {

    /** Frames are cut into PATCH x PATCH patches by the first convolution. */
    public static final int PATCH = 4;

    public static PolicyConfig defaults(int vocabularySize) {
        return new PolicyConfig(vocabularySize, 64, 4, 4, 32, 8, 192);
    }

    public PolicyConfig {
        require(vocabularySize >= 8, "model.vocabulary must have at least 8 tokens, got " + vocabularySize);
        require(width >= 8 && heads >= 1 && width % heads == 0,
                "model.width (" + width + ") must be a positive multiple of model.heads (" + heads + ")");
        require(layers >= 1, "model.layers must be at least 1, got " + layers);
        require(frameSize >= PATCH && frameSize % PATCH == 0, "model.frame_size must be a multiple of " + PATCH + ", got " + frameSize);
        require(maxFrames >= 1, "model.max_frames must be at least 1, got " + maxFrames);
        require(maxLength > maxFrames, "model.max_length (" + maxLength + ") must exceed model.max_frames (" + maxFrames + ")");
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
