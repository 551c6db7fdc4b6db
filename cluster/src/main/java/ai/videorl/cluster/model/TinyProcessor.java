package ai.videorl.cluster.model;

import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.data.Sample;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.text.TokenOffsets;
import ai.videorl.common.text.VocabularyTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The tiny policy's processor: a run's vocabulary and prompt layout, frames sampled as the run's
 * {@code video} settings say, each frame's time written in {@code model.frame_times} characters.
 * Only videos of one frame count share a batch. A response ends with {@link VocabularyTokenizer#END}.
 */
public final class TinyProcessor implements PolicyProcessor {

    private final VocabularyTokenizer tokenizer;
    private final PromptLayout layout;
    private final int frameTimes;
    private final Function<String, SampledFrames> frames;

    /**
     * @param frameTimes characters of each frame's time the policy reads ({@link PolicyConfig#frameTimes()})
     * @param frames a video's sampled frames, by its location
     */
    public TinyProcessor(VocabularyTokenizer tokenizer, PromptLayout layout, int frameTimes, Function<String, SampledFrames> frames) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.frameTimes = frameTimes;
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    @Override
    public List<Batch> batches(List<Sample> samples, int maxRows, Function<Sample, String> sharedBy) {
        Map<Integer, List<Integer>> byFrameCount = new LinkedHashMap<>();
        List<SampledFrames> sampled = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            SampledFrames video = frames.apply(samples.get(i).video());
            sampled.add(video);
            byFrameCount.computeIfAbsent(video.count(), count -> new ArrayList<>()).add(i);
        }
        List<Batch> batches = new ArrayList<>();
        for (List<Integer> sameCount : byFrameCount.values()) {
            for (int start = 0; start < sameCount.size(); start += maxRows) {
                List<Integer> rows = sameCount.subList(start, Math.min(sameCount.size(), start + maxRows));
                batches.add(batch(rows, samples, sampled, sharedBy));
            }
        }
        return batches;
    }

    private Batch batch(List<Integer> rows, List<Sample> samples, List<SampledFrames> sampled, Function<Sample, String> sharedBy) {
        int[][] prompts = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            prompts[i] = layout.encode(samples.get(rows.get(i)), tokenizer);
        }
        int copies = sharedRun(rows.stream().map(row -> sharedBy.apply(samples.get(row))).toList());
        SampledFrames firstVideo = sampled.get(rows.get(0));
        int frameCount = firstVideo.count();
        int frameValues = firstVideo.pixels().length;
        int timeValues = frameCount * frameTimes;
        float[] pixels = new float[rows.size() / copies * frameValues];
        int[] times = new int[rows.size() / copies * timeValues];
        for (int video = 0; video < rows.size() / copies; video++) {
            int first = rows.get(video * copies);
            System.arraycopy(sampled.get(first).pixels(), 0, pixels, video * frameValues, frameValues);
            if (frameTimes > 0) {
                System.arraycopy(FrameTimes.tokens(sampled.get(first).timestamps(), frameTimes, tokenizer, samples.get(first).video()), 0,
                        times, video * timeValues, timeValues);
            }
        }
        return new Batch(rows.stream().mapToInt(Integer::intValue).toArray(),
                new VideoPolicy.Inputs(pixels, frameCount, prompts, copies, times));
    }

    /**
     * How many consecutive keys are equal, when every key of the batch comes the same number of
     * times in a row (a group's rollouts sorted by id, or a video's questions sorted by video):
     * their frames are then encoded once per run. Otherwise 1.
     */
    static int sharedRun(List<String> keys) {
        List<Integer> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= keys.size(); i++) {
            if (i == keys.size() || !keys.get(i).equals(keys.get(start))) {
                runs.add(i - start);
                start = i;
            }
        }
        return runs.stream().distinct().count() == 1 ? runs.get(0) : 1;
    }

    /** One prompt with its frames (the command line's generate): the processor's layout and time spelling. */
    public VideoPolicy.Inputs inputs(String prompt, String source, SampledFrames video, String location) {
        int[] times = frameTimes == 0 ? new int[0] : FrameTimes.tokens(video.timestamps(), frameTimes, tokenizer, location);
        return new VideoPolicy.Inputs(video.pixels(), video.count(), new int[][] {layout.encode(prompt, source, tokenizer)}, 1, times);
    }

    @Override
    public TokenOffsets tokenize(String text) {
        return tokenizer.tokenize(text);
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public TokenOffsets offsets(int[] ids) {
        return tokenizer.offsets(ids);
    }

    @Override
    public int tokenId(String piece) {
        return tokenizer.id(piece);
    }

    @Override
    public int[] responseTargets(int[] generated, boolean finished) {
        // The END the policy chose is part of what it learns: it trains when to stop.
        if (finished || generated.length == 0) {
            return withEnd(generated);
        }
        return generated;
    }

    @Override
    public int[] referenceTargets(String reference) {
        return withEnd(tokenizer.encode(reference).ids());
    }

    private static int[] withEnd(int[] tokens) {
        int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = VocabularyTokenizer.END;
        return longer;
    }
}
