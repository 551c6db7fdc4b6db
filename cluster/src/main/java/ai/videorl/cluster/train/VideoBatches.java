package ai.videorl.cluster.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an SFT text stage draws its examples: video by video, in a seeded epoch order over the
 * videos, each step taking every example of its next few videos (about {@code batchSize} examples
 * in all). A video's examples then meet in one step, where they share its encoded frames: five
 * questions about a clip cost one pass of the frame encoder instead of five.
 */
final class VideoBatches {

    /** A text example: its id, its video, and its response's length in tokens. */
    record Example(String id, String video, int tokens) {
    }

    /** One step's examples: their ids, and their response tokens in all. */
    record Batch(List<String> ids, long tokens) {
    }

    private final Map<String, List<Example>> byVideo;
    private final PromptCursor videos;
    private final int videosPerStep;

    private VideoBatches(Map<String, List<Example>> byVideo, PromptCursor videos, int videosPerStep) {
        this.byVideo = byVideo;
        this.videos = videos;
        this.videosPerStep = videosPerStep;
    }

    /** @param examples a stage's examples, in a fixed order (by id): the same seed then draws the same steps */
    static VideoBatches of(List<Example> examples, int batchSize, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to draw from");
        }
        Map<String, List<Example>> byVideo = new TreeMap<>();
        examples.forEach(example -> byVideo.computeIfAbsent(example.video(), video -> new ArrayList<>()).add(example));
        long perStep = Math.round(batchSize * (double) byVideo.size() / examples.size());
        int videosPerStep = (int) Math.max(1, Math.min(byVideo.size(), perStep));
        return new VideoBatches(byVideo, new PromptCursor(List.copyOf(byVideo.keySet()), seed, 0), videosPerStep);
    }

    Batch next() {
        List<Example> batch = videos.next(videosPerStep).stream().distinct().flatMap(video -> byVideo.get(video).stream()).toList();
        return new Batch(batch.stream().map(Example::id).toList(), batch.stream().mapToLong(Example::tokens).sum());
    }

    int videosPerStep() {
        return videosPerStep;
    }

    /** Videos drawn so far. */
    long position() {
        return videos.position();
    }
}
