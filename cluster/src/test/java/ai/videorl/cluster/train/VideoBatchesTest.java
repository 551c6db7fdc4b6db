package ai.videorl.cluster.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoBatchesTest {

    /** {@code videos} videos of {@code questions} examples each, in one partition, example q of video v taking v + q tokens. */
    private static List<VideoBatches.Example> examples(int videos, int questions) {
        return examples(videos, questions, video -> 0);
    }

    private static List<VideoBatches.Example> examples(int videos, int questions, IntUnaryOperator partitionOfVideo) {
        List<VideoBatches.Example> examples = new ArrayList<>();
        for (int v = 0; v < videos; v++) {
            for (int q = 0; q < questions; q++) {
                examples.add(new VideoBatches.Example(String.format("%03d-%d", v, q), "v" + v + ".mp4", v + q, partitionOfVideo.applyAsInt(v)));
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
    void everyStepTakesItsVideosEvenlyFromThePartitions() {
        // 40 videos in 2 uneven partitions (every third video in partition 1), 5 questions each; 13 videos a step.
        List<VideoBatches.Example> examples = examples(40, 5, video -> video % 3 == 0 ? 1 : 0);
        Map<String, Integer> partitionOf = new HashMap<>();
        examples.forEach(example -> partitionOf.put(example.id(), example.partition()));
        VideoBatches batches = VideoBatches.of(examples, 64, 2);
        assertEquals(13, batches.videosPerStep());
        Map<Integer, Set<String>> seen = new HashMap<>();
        for (int step = 0; step < 2; step++) {
            int[] perPartition = new int[2];
            for (String id : batches.next().ids()) {
                perPartition[partitionOf.get(id)]++;
                assertTrue(seen.computeIfAbsent(partitionOf.get(id), partition -> new HashSet<>()).add(id), id + " drawn twice");
            }
            // The odd video goes to partition 0 on even steps, to partition 1 on odd ones.
            assertEquals(step == 0 ? 35 : 30, perPartition[0], "step " + step + ": questions from partition 0");
            assertEquals(step == 0 ? 30 : 35, perPartition[1], "step " + step + ": questions from partition 1");
        }
        assertEquals(26, batches.position());
        // Partition 1 holds 14 videos: its third step starts its second epoch, partition 0's 26 still last.
        Set<String> third = new HashSet<>(batches.next().ids());
        assertTrue(third.stream().filter(id -> partitionOf.get(id) == 1).anyMatch(seen.get(1)::contains), "partition 1 begins again");
        assertTrue(third.stream().filter(id -> partitionOf.get(id) == 0).noneMatch(seen.get(0)::contains), "partition 0 is mid-epoch");
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
