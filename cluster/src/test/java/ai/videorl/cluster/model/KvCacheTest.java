package ai.videorl.cluster.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class KvCacheTest {

    @Test
    void previousTokensSurviveTheDecodingStepThatGaveThem() {
        try (NDManager generation = NDManager.newBaseManager()) {
            KvCache cache = KvCache.withCapacity(1, 8);
            NDArray prefill = cache.previousTokens(generation.create(new long[] {3, 4, 5, 6}, new Shape(2, 2)));
            assertArrayEquals(new long[] {VocabularyTokenizer.PAD, 3, VocabularyTokenizer.PAD, 5}, prefill.toLongArray());
            // Each decoding step's arrays are freed when the step ends (VideoPolicy.generate), and
            // the freed ids' memory is reused: the next step must still see the last tokens.
            try (NDManager step = generation.newSubManager()) {
                assertArrayEquals(new long[] {4, 6}, cache.previousTokens(step.create(new long[] {7, 8}, new Shape(2, 1))).toLongArray());
            }
            try (NDManager reuse = generation.newSubManager()) {
                reuse.create(new long[] {-1, -1}, new Shape(2, 1));
            }
            System.gc();
            try (NDManager step = generation.newSubManager()) {
                assertArrayEquals(new long[] {7, 8}, cache.previousTokens(step.create(new long[] {9, 10}, new Shape(2, 1))).toLongArray());
            }
        }
    }
}
