package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model.frame_times}: each frame's time written as text after the frame's token. */
class FrameTimesTest {

    private static final VocabularyTokenizer TOKENIZER = VocabularyTokenizer.fromCorpus(List.of("the bright frame"), List.of(), 1);
    private static final int SIZE = 8;
    private static final int FRAMES = 4;
    private static final int WIDTH = 3;
    private static final PolicyConfig TIMED = new PolicyConfig(TOKENIZER.size(), 32, 2, 4, SIZE, FRAMES, 48, PolicyConfig.PATCH, 0, 1, WIDTH);

    @Test
    void timesAreWrittenAsTheAnswersWriteThemRightAligned() {
        int[] tokens = FrameTimes.tokens(new double[] {0, 0.4999, 12.5}, 4, TOKENIZER, "v.mp4");
        assertEquals(" 0.0", TOKENIZER.decode(Arrays.copyOfRange(tokens, 0, 4)));
        assertEquals(" 0.5", TOKENIZER.decode(Arrays.copyOfRange(tokens, 4, 8)), "a decoded time a rounding error below the grid");
        assertEquals("12.5", TOKENIZER.decode(Arrays.copyOfRange(tokens, 8, 12)));
        VideoRlException tooLong = assertThrows(VideoRlException.class,
                () -> FrameTimes.tokens(new double[] {0, 12.5}, 3, TOKENIZER, "clips/long.mp4"));
        assertTrue(tooLong.getMessage().contains("clips/long.mp4") && tooLong.getMessage().contains("12.5 s")
                && tooLong.getMessage().contains("a frame's time in 3"), tooLong.getMessage());
    }

    @Test
    void aTimedPolicyDecodesTheSameWithAndWithoutTheCacheAndScoresWhatItGenerates() {
        try (VideoPolicy policy = VideoPolicy.create(TIMED, Device.cpu(), 5)) {
            VideoPolicy.Inputs batch = examples(new Random(9), 3).inputs().repeatEach(2);
            int[][] cached = policy.generateGreedy(batch, 12, true);
            int[][] uncached = policy.generateGreedy(batch, 12, false);
            for (int b = 0; b < batch.batch(); b++) {
                assertArrayEquals(uncached[b], cached[b], "row " + b);
                assertTrue(cached[b].length > 0);
            }
            VideoPolicy.Generation generation = policy.generate(batch, DecodingConfig.sampling(1.0, 0, 1.0, 10),
                    new long[] {1, 2, 3, 4, 5, 6}, StopRule.NONE);
            VideoPolicy.TokenScores scores = policy.score(batch, generation.tokens());
            for (int b = 0; b < batch.batch(); b++) {
                assertArrayEquals(scores.logProbs()[b], generation.logProbs()[b], 1e-4, "log-probs of row " + b);
            }
        }
    }

    @Test
    void thePolicyReadsTheTimesAndRefusesInputsWithout() {
        try (VideoPolicy policy = VideoPolicy.create(TIMED, Device.cpu(), 5)) {
            Examples examples = examples(new Random(9), 2);
            VideoPolicy.Inputs inputs = examples.inputs();
            int[] later = inputs.frameTimes().clone();
            later[0] = TOKENIZER.id("9");
            VideoPolicy.Inputs shifted = new VideoPolicy.Inputs(inputs.frames(), FRAMES, inputs.prompts(), 1, later);
            double[][] scored = policy.score(inputs, examples.responses()).logProbs();
            double[][] shiftedScores = policy.score(shifted, examples.responses()).logProbs();
            assertFalse(Arrays.equals(scored[0], shiftedScores[0]), "the first video's scores follow its first frame's time");
            assertArrayEquals(scored[1], shiftedScores[1], 1e-6, "the second video's times did not change");
            IllegalArgumentException without = assertThrows(IllegalArgumentException.class,
                    () -> policy.score(new VideoPolicy.Inputs(inputs.frames(), FRAMES, inputs.prompts()), examples.responses()));
            assertTrue(without.getMessage().contains("model.frame_times"), without.getMessage());
        }
    }

    @Test
    void timedWeightsRoundTripWithTheirWidth() {
        try (VideoPolicy policy = VideoPolicy.create(TIMED, Device.cpu(), 4)) {
            PolicyWeights weights = PolicyWeights.fromBytes(policy.snapshot(2).toBytes(), "memory");
            assertEquals(TIMED, weights.tiny());
            assertEquals(FRAMES * (1 + WIDTH), weights.tiny().frameTokens(FRAMES));
        }
        VideoRlException tooLong = assertThrows(VideoRlException.class,
                () -> new PolicyConfig(TOKENIZER.size(), 32, 2, 4, SIZE, FRAMES, 16, PolicyConfig.PATCH, 0, 1, WIDTH));
        assertTrue(tooLong.getMessage().contains("model.max_length (16)") && tooLong.getMessage().contains("model.frame_times (3)"),
                tooLong.getMessage());
    }

    /**
     * What the times are for: each video's clock starts somewhere between 0 and 6 s, one frame is
     * bright, and the answer is that frame's time. Its position says nothing about its time (as
     * when the sampler spreads a long clip's frames over its duration); the
     * time written after it says everything, and the policy learns to copy it. Without the times
     * the best it can do is guess the clock's start.
     */
    @Test
    @Tag("learning")
    void learnsToAnswerTheTimeOfTheBrightFrameByCopyingIt() {
        double timed = heldOutAccuracy(TIMED);
        double untimed = heldOutAccuracy(new PolicyConfig(TOKENIZER.size(), 32, 2, 4, SIZE, FRAMES, 48));
        System.out.printf("FrameTimesTest: held-out accuracy %.3f with the times, %.3f without%n", timed, untimed);
        assertTrue(timed >= 0.9, "held-out accuracy with the times " + timed);
        assertTrue(untimed <= 0.3, "held-out accuracy without the times " + untimed + " (a guess of the clock's start: about 0.08)");
    }

    private static double heldOutAccuracy(PolicyConfig config) {
        Random random = new Random(1);
        Examples heldOut = examples(new Random(99), 200);
        try (VideoPolicy policy = VideoPolicy.create(config, Device.cpu(), 3)) {
            AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(2e-3), policy.weights().length);
            for (int step = 0; step < 300; step++) {
                Examples batch = examples(random, 32);
                SupervisedSteps.step(policy, optimizer, batch.inputsFor(config), batch.responses());
            }
            int[][] answers = policy.generateGreedy(heldOut.inputsFor(config), WIDTH + 1, true);
            int right = 0;
            for (int b = 0; b < answers.length; b++) {
                right += TOKENIZER.decode(answers[b]).equals(heldOut.times()[b]) ? 1 : 0;
            }
            return right / (double) answers.length;
        }
    }

    private record Examples(VideoPolicy.Inputs inputs, int[][] responses, String[] times) {
        VideoPolicy.Inputs inputsFor(PolicyConfig config) {
            return config.frameTimes() > 0 ? inputs : new VideoPolicy.Inputs(inputs.frames(), FRAMES, inputs.prompts());
        }
    }

    /** Dark videos with one bright frame; clocks starting at 0.0-6.0 s, 0.5 s a frame; the answer the bright frame's time. */
    private static Examples examples(Random random, int count) {
        float[] frames = new float[count * FRAMES * 3 * SIZE * SIZE];
        int[] times = new int[count * FRAMES * WIDTH];
        int[][] prompts = new int[count][];
        int[][] responses = new int[count][];
        String[] answers = new String[count];
        int frameValues = 3 * SIZE * SIZE;
        for (int b = 0; b < count; b++) {
            double start = random.nextInt(13) * 0.5;
            double[] seconds = new double[FRAMES];
            for (int frame = 0; frame < FRAMES; frame++) {
                seconds[frame] = start + frame * 0.5;
            }
            System.arraycopy(FrameTimes.tokens(seconds, WIDTH, TOKENIZER, "video " + b), 0, times, b * FRAMES * WIDTH, FRAMES * WIDTH);
            int bright = random.nextInt(FRAMES);
            int offset = (b * FRAMES + bright) * frameValues;
            Arrays.fill(frames, offset, offset + frameValues, 1f);
            answers[b] = FrameTimes.text(seconds[bright]);
            prompts[b] = new int[] {VocabularyTokenizer.PAD, TOKENIZER.id("t"), VocabularyTokenizer.BEGIN};
            int[] answer = TOKENIZER.encode(answers[b]).ids();
            responses[b] = Arrays.copyOf(answer, answer.length + 1);
            responses[b][answer.length] = VocabularyTokenizer.END;
        }
        return new Examples(new VideoPolicy.Inputs(frames, FRAMES, prompts, 1, times), responses, answers);
    }
}
