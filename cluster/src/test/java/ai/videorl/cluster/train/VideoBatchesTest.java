package ai.videorl.cluster.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoBatchesTest {

    /** {@code videos} videos of {@code questions} examples each, example q of video v taking v + q tokens. */
    private static List<VideoBatches.Example> examples(int videos, int questions) {
        List<VideoBatches.Example> examples = new ArrayList<>();
        for (int v = 0; v < videos; v++) {
            for (int q = 0; q < questions; q++) {
                examples.add(new VideoBatches.Example(String.format("%03d-%d", v, q), "v" + v + ".mp4", v + q));
            }
        }
        return examples;
    }

    private static List<List<String>> draw(VideoBatches batches, int steps) {
        List<List<String>> drawn = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            drawn.add(batches.next().ids());
        }
        return drawn;
    }

    @Test
    void everyStepTakesWholeVideosAndAnEpochTakesEveryExampleOnce() {
        List<VideoBatches.Example> examples = examples(12, 5);
        Map<String, String> videoOf = new HashMap<>();
        examples.forEach(example -> videoOf.put(example.id(), example.video()));
        VideoBatches batches = VideoBatches.of(examples, 16, 7);
        assertEquals(3, batches.videosPerStep(), "16 examples a step at 5 a video is about 3 videos");

        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 4; step++) {
            VideoBatches.Batch batch = batches.next();
            assertEquals(15, batch.ids().size(), "3 videos of 5 questions");
            Set<String> videos = new HashSet<>();
            batch.ids().forEach(id -> videos.add(videoOf.get(id)));
            assertEquals(3, videos.size(), "each of the step's videos with all its questions: " + batch.ids());
            long tokens = examples.stream().filter(example -> batch.ids().contains(example.id())).mapToLong(VideoBatches.Example::tokens).sum();
            assertEquals(tokens, batch.tokens());
            batch.ids().forEach(id -> assertTrue(seen.add(id), id + " drawn twice within an epoch"));
        }
        assertEquals(examples.size(), seen.size(), "4 steps of 3 videos are one epoch of 12");
        assertEquals(12, batches.position());
    }

    @Test
    void theSameSeedDrawsTheSameStepsAndAnotherSeedOthers() {
        List<VideoBatches.Example> examples = examples(20, 2);
        List<List<String>> once = draw(VideoBatches.of(examples, 8, 3), 6);
        assertEquals(once, draw(VideoBatches.of(examples, 8, 3), 6));
        assertNotEquals(once, draw(VideoBatches.of(examples, 8, 4), 6));
    }

    @Test
    void oneExampleAVideoIsABatchOfBatchSizeVideosAndASmallCorpusIsDrawnWhole() {
        assertEquals(8, VideoBatches.of(examples(20, 1), 8, 1).videosPerStep());
        VideoBatches small = VideoBatches.of(examples(3, 2), 64, 1);
        assertEquals(3, small.videosPerStep(), "never more videos a step than there are");
        assertEquals(6, small.next().ids().size());
        assertThrows(IllegalArgumentException.class, () -> VideoBatches.of(List.of(), 8, 1));
    }
}
