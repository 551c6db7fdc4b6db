package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model.frame_grid}: each frame as G x G tokens, one per cell of its patch grid. */
class FrameGridTest {

    /** 32-pixel frames in disjoint 4x4 patches: 8 patches across, cells of 4 x 4 patches. */
    private static final int SIZE = 32;
    private static final int FRAMES = 3;
    private static final PolicyConfig GRID = new PolicyConfig(40, 32, 2, 4, SIZE, FRAMES, 64, PolicyConfig.PATCH, 0, 2);

    @Test
    void eachCellTokenSeesOnlyItsOwnPartOfTheFrame() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            PolicyNetwork network = new PolicyNetwork(GRID, PolicyParameters.initialise(GRID, manager, 3));
            // A block on patch (1, 1): the 3x3 convolution over patches reaches patches 0-2, all in the top-left cell.
            float[] blank = new float[FRAMES * 3 * SIZE * SIZE];
            float[] block = blank.clone();
            for (int frame = 0; frame < FRAMES; frame++) {
                for (int y = 4; y < 8; y++) {
                    for (int x = 4; x < 8; x++) {
                        block[((frame * 3) * SIZE + y) * SIZE + x] = 1f;
                    }
                }
            }
            float[][] without = tokens(network, manager, blank);
            float[][] with = tokens(network, manager, block);
            assertEquals(FRAMES * 4, with.length, "four tokens a frame");
            for (int frame = 0; frame < FRAMES; frame++) {
                assertFalse(Arrays.equals(without[frame * 4], with[frame * 4]), "frame " + frame + ": the top-left cell sees the block");
                for (int cell = 1; cell < 4; cell++) {
                    assertArrayEquals(without[frame * 4 + cell], with[frame * 4 + cell], "frame " + frame + ", cell " + cell);
                }
            }
        }
    }

    @Test
    void aGridPolicyDecodesTheSameWithAndWithoutTheCacheAndScoresWhatItGenerates() {
        try (VideoPolicy policy = VideoPolicy.create(GRID, Device.cpu(), 5)) {
            VideoPolicy.Inputs batch = inputs(3);
            int[][] cached = policy.generateGreedy(batch, 16, true);
            int[][] uncached = policy.generateGreedy(batch, 16, false);
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(uncached[b], cached[b], "row " + b);
                assertTrue(cached[b].length > 0);
            }
            VideoPolicy.Generation generation = policy.generate(batch, DecodingConfig.sampling(1.0, 0, 1.0, 12), new long[] {1, 2, 3},
                    StopRule.NONE);
            VideoPolicy.TokenScores scores = policy.score(batch, generation.tokens());
            for (int b = 0; b < 3; b++) {
                assertArrayEquals(scores.logProbs()[b], generation.logProbs()[b], 1e-4, "log-probs of row " + b);
            }
        }
    }

    @Test
    void gridWeightsRoundTripWithTheirCellPositions() {
        try (VideoPolicy policy = VideoPolicy.create(GRID, Device.cpu(), 4)) {
            PolicyWeights weights = PolicyWeights.fromBytes(policy.snapshot(2).toBytes(), "memory");
            assertEquals(GRID, weights.tiny());
            try (VideoPolicy rebuilt = VideoPolicy.fromWeights(weights, Device.cpu())) {
                assertArrayEquals(policy.weights(), rebuilt.weights());
                assertTrue(weights.names().contains("frames.cell"), weights.names().toString());
            }
        }
    }

    @Test
    void aGridThatDoesNotFitIsRefusedNamingItsKeys() {
        VideoRlException zero = assertThrows(VideoRlException.class,
                () -> new PolicyConfig(40, 32, 2, 4, SIZE, FRAMES, 64, PolicyConfig.PATCH, 0, 0));
        assertTrue(zero.getMessage().contains("model.frame_grid"), zero.getMessage());
        VideoRlException finer = assertThrows(VideoRlException.class,
                () -> new PolicyConfig(40, 32, 2, 4, SIZE, FRAMES, 64, PolicyConfig.PATCH, 0, 9));
        assertTrue(finer.getMessage().contains("patches across a frame (8)"), finer.getMessage());
        VideoRlException tooLong = assertThrows(VideoRlException.class,
                () -> new PolicyConfig(40, 32, 2, 4, SIZE, FRAMES, 12, PolicyConfig.PATCH, 0, 2));
        assertTrue(tooLong.getMessage().contains("model.max_length (12)") && tooLong.getMessage().contains("model.frame_grid"),
                tooLong.getMessage());
    }

    private static float[][] tokens(PolicyNetwork network, NDManager manager, float[] frames) {
        NDArray encoded = network.encodeFrames(manager.create(frames, new Shape(1, FRAMES, 3, SIZE, SIZE)), null);
        int count = Math.toIntExact(encoded.getShape().get(1));
        float[] flat = encoded.toFloatArray();
        float[][] tokens = new float[count][];
        int width = GRID.width();
        for (int t = 0; t < count; t++) {
            tokens[t] = Arrays.copyOfRange(flat, t * width, (t + 1) * width);
        }
        return tokens;
    }

    private static VideoPolicy.Inputs inputs(int batch) {
        Random random = new Random(9);
        float[] frames = new float[batch * FRAMES * 3 * SIZE * SIZE];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = random.nextFloat();
        }
        int[][] prompts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = new int[] {VocabularyTokenizer.PAD, 10 + b, 11 + random.nextInt(20), VocabularyTokenizer.BEGIN};
        }
        return new VideoPolicy.Inputs(frames, FRAMES, prompts);
    }
}
