package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoPolicyTest {

    private static final PolicyConfig CONFIG = new PolicyConfig(40, 32, 2, 4, 16, 4, 64);
    private static VideoPolicy policy;

    @BeforeAll
    static void create() {
        policy = VideoPolicy.create(CONFIG, Device.cpu(), 7);
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    private static VideoPolicy.Inputs inputs(int batch, long seed) {
        Random random = new Random(seed);
        float[] frames = new float[batch * 4 * 3 * 16 * 16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = random.nextFloat();
        }
        int[][] prompts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = new int[] {VocabularyTokenizer.PAD, 10 + b, 11 + random.nextInt(20), 12, VocabularyTokenizer.BEGIN};
        }
        prompts[0][0] = 15;
        return new VideoPolicy.Inputs(frames, 4, prompts);
    }

    @Test
    void cachedAndUncachedGreedyDecodingGiveTheSameTokens() {
        VideoPolicy.Inputs batch = inputs(3, 1);
        int[][] cached = policy.generateGreedy(batch, 20, true);
        int[][] uncached = policy.generateGreedy(batch, 20, false);
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(uncached[b], cached[b], "sample " + b);
            assertTrue(cached[b].length > 0, "an untrained policy still produces tokens");
        }
    }

    @Test
    void generationIsDeterministicAndRespectsTheLimit() {
        VideoPolicy.Inputs batch = inputs(2, 2);
        int[][] first = policy.generateGreedy(batch, 7, true);
        int[][] again = policy.generateGreedy(batch, 7, true);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(first[b], again[b]);
            assertTrue(first[b].length <= 7);
            for (int token : first[b]) {
                assertTrue(token > VocabularyTokenizer.UNKNOWN, "no special tokens in a response: " + token);
            }
        }
    }

    @Test
    void parametersFlattenAndLoadBack() {
        float[] flat = policy.parameters().flatten();
        assertEquals(policy.parameters().size(), flat.length);
        policy.parameters().load(flat);
        assertArrayEquals(flat, policy.parameters().flatten());
    }
}
