package ai.videorl.cluster.model;

import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TinyProcessorTest {

    @Test
    void groupsOfEqualSizeShareTheirFramesAndAnythingElseDoesNot() {
        assertEquals(3, TinyProcessor.sharedRun(List.of("a", "a", "a", "b", "b", "b")), "two groups of three rollouts");
        assertEquals(1, TinyProcessor.sharedRun(List.of("a", "b", "c")), "one row per prompt");
        assertEquals(1, TinyProcessor.sharedRun(List.of("a", "a", "a", "b", "b")), "a group that lost a rollout");
        assertEquals(2, TinyProcessor.sharedRun(List.of("a", "a")));
        assertEquals(2, TinyProcessor.sharedRun(List.of("v1.mp4", "v1.mp4", "v2.mp4", "v2.mp4")), "two videos, two questions each");
    }

    @Test
    void aResponseEndsWithTheEndItChoseAndIsNeverEmpty() {
        VocabularyTokenizer tokenizer = new VocabularyTokenizer(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b"));
        TinyProcessor processor = new TinyProcessor(tokenizer, new PromptLayout(8), 0, video -> {
            throw new AssertionError("no video is read");
        });
        int end = VocabularyTokenizer.END;
        assertArrayEquals(new int[] {4, 5, end}, processor.responseTargets(new int[] {4, 5}, true));
        assertArrayEquals(new int[] {4, 5}, processor.responseTargets(new int[] {4, 5}, false), "cut at the length limit");
        assertArrayEquals(new int[] {end}, processor.responseTargets(new int[0], false));
        assertArrayEquals(new int[] {4, 5, end}, processor.referenceTargets("ab"));
        assertEquals("ab", processor.decode(new int[] {4, 5}));
        assertEquals(-1, processor.tokenId("<think>"));
    }
}
