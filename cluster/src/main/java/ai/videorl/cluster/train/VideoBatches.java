package ai.videorl.cluster.train;

import ai.videorl.common.data.RolloutSeeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an SFT stage draws its examples: video by video, each step taking every example of its
 * next few videos (about {@code batchSize} examples in all). A video's examples then meet in one
 * step, where they share its encoded frames: five questions about a clip cost one pass of the
 * frame encoder instead of five.
 *
 * <p>The examples lie in partitions (by video), one task each, and a step lasts as long as its
 * slowest task. So each partition's videos are drawn by their own seeded epoch order, and every
 * step takes its videos evenly from the partitions: with 13 videos over 2, a step's larger task
 * has 7, where a draw across all videos gave it 8-9 on average and the step waited for it.
 */
final class VideoBatches {

    /** An example: its id, its video, its response's length in tokens, and the partition it lies in. */
    record Example(String id, String video, int tokens, int partition) {
    }

    /** One step's examples: their ids, and their response tokens in all. */
    record Batch(List<String> ids, long tokens) {
    }

    private final Map<String, List<Example>> byVideo;
    /** One cursor over each partition's videos. */
    private final List<PromptCursor> partitions;
    private final int videosPerStep;
    private long steps;

    private VideoBatches(Map<String, List<Example>> byVideo, List<PromptCursor> partitions, int videosPerStep) {
        this.byVideo = byVideo;
        this.partitions = partitions;
        this.videosPerStep = videosPerStep;
    }

    /** @param examples a stage's examples, in a fixed order (by id): the same seed then draws the same steps */
    static VideoBatches of(List<Example> examples, int batchSize, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to draw from");
        }
        Map<String, List<Example>> byVideo = new TreeMap<>();
        Map<Integer, List<String>> videosByPartition = new TreeMap<>();
        for (Example example : examples) {
            byVideo.computeIfAbsent(example.video(), video -> {
                videosByPartition.computeIfAbsent(example.partition(), partition -> new ArrayList<>()).add(video);
                return new ArrayList<>();
            }).add(example);
        }
        List<PromptCursor> partitions = new ArrayList<>();
        videosByPartition.forEach((partition, videos) -> partitions.add(new PromptCursor(videos.stream().sorted().toList(),
                RolloutSeeds.of(seed, partition, "video-order", 0), 0)));
        long perStep = Math.round(batchSize * (double) byVideo.size() / examples.size());
        int videosPerStep = (int) Math.max(1, Math.min(byVideo.size(), perStep));
        return new VideoBatches(byVideo, partitions, videosPerStep);
    }

    Batch next() {
        List<Example> batch = new ArrayList<>();
        int count = partitions.size();
        for (int i = 0; i < count; i++) {
            // The share that does not divide evenly goes round the partitions from step to step.
            int slot = (int) ((i + steps) % count);
            int share = videosPerStep / count + (slot < videosPerStep % count ? 1 : 0);
            PromptCursor partition = partitions.get(i);
            partition.next(Math.min(share, partition.size())).stream().distinct().forEach(video -> batch.addAll(byVideo.get(video)));
        }
        steps++;
        return new Batch(batch.stream().map(Example::id).toList(), batch.stream().mapToLong(Example::tokens).sum());
    }

    int videosPerStep() {
        return videosPerStep;
    }

    /** Videos drawn so far. */
    long position() {
        return partitions.stream().mapToLong(PromptCursor::position).sum();
    }
}
