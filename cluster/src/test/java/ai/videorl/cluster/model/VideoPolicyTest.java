package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

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
    void generationOnAnotherThreadRecordsNoGradientsAndLeavesTheThreadAsItWas() throws Exception {
        boolean[] before = new boolean[1];
        AtomicInteger recordingSteps = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        boolean[] after = new boolean[2];
        // The stop rule runs inside the decoding loop, so it sees the flag the forward passes ran under.
        StopRule observer = (response, logProbs) -> {
            steps.incrementAndGet();
            recordingSteps.addAndGet(NoGradient.recording() ? 1 : 0);
            return false;
        };
        Thread thread = new Thread(() -> {
            before[0] = NoGradient.recording();
            VideoPolicy.Inputs batch = inputs(2, 5);
            VideoPolicy.Generation generation = policy.generate(batch, DecodingConfig.greedy(6), new long[2], observer);
            after[0] = NoGradient.recording();
            policy.score(batch, generation.tokens());
            after[1] = NoGradient.recording();
        });
        thread.start();
        thread.join();
        assertTrue(before[0], "libtorch records gradients on a new thread by default, the case this guards");
        assertTrue(steps.get() > 0, "the observer ran");
        assertEquals(0, recordingSteps.get(), "decoding steps that recorded gradients");
        assertTrue(after[0] && after[1], "generate and score give the thread its recording back");
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
    void seededSamplingIsReproducibleAndCacheIndependent() {
        VideoPolicy.Inputs batch = inputs(3, 3);
        DecodingConfig sampling = DecodingConfig.sampling(1.0, 0, 1.0, 16);
        long[] seeds = {11, 12, 13};
        VideoPolicy.Generation first = policy.generate(batch, sampling, seeds, StopRule.NONE);
        VideoPolicy.Generation again = policy.generate(batch, sampling, seeds, StopRule.NONE);
        VideoPolicy.Generation uncached = policy.generate(batch, sampling.withoutCache(), seeds, StopRule.NONE);
        VideoPolicy.Generation otherSeeds = policy.generate(batch, sampling, new long[] {21, 22, 23}, StopRule.NONE);
        boolean anyDifferent = false;
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(first.tokens()[b], again.tokens()[b], "same seed, same tokens");
            assertArrayEquals(first.tokens()[b], uncached.tokens()[b], "the cache changes nothing");
            anyDifferent |= !java.util.Arrays.equals(first.tokens()[b], otherSeeds.tokens()[b]);
        }
        assertTrue(anyDifferent, "other seeds draw other tokens from an untrained policy");
    }

    @Test
    void sharedFramesGenerateScoreAndTrainExactlyAsACopyPerRolloutDoes() {
        VideoPolicy.Inputs group = inputs(2, 9).repeatEach(3);
        float[] copied = new float[0];
        for (int row = 0; row < 6; row++) {
            float[] frames = group.framesOf(row);
            copied = java.util.Arrays.copyOf(copied, copied.length + frames.length);
            System.arraycopy(frames, 0, copied, copied.length - frames.length, frames.length);
        }
        VideoPolicy.Inputs oneEach = new VideoPolicy.Inputs(copied, group.frameCount(), group.prompts());
        long[] seeds = {1, 2, 3, 4, 5, 6};
        DecodingConfig sampling = DecodingConfig.sampling(1.0, 0, 1.0, 10);
        VideoPolicy.Generation shared = policy.generate(group, sampling, seeds, StopRule.NONE);
        VideoPolicy.Generation copies = policy.generate(oneEach, sampling, seeds, StopRule.NONE);
        int[][] responses = new int[6][];
        for (int row = 0; row < 6; row++) {
            assertArrayEquals(copies.tokens()[row], shared.tokens()[row], "row " + row);
            assertArrayEquals(copies.logProbs()[row], shared.logProbs()[row], 1e-6, "row " + row);
            responses[row] = new int[] {5, 6, VocabularyTokenizer.END};
        }
        VideoPolicy.TokenScores sharedScores = policy.score(group, responses);
        VideoPolicy.TokenScores copiedScores = policy.score(oneEach, responses);
        for (int row = 0; row < 6; row++) {
            assertArrayEquals(copiedScores.logProbs()[row], sharedScores.logProbs()[row], 1e-6, "row " + row);
        }
        // Backward through the shared encoding sums each copy's share: the same gradient.
        ai.videorl.common.loss.BatchShape shape = new ai.videorl.common.loss.BatchShape(6, 18, 16);
        float[] sharedGradient = policy.supervisedGradient(group, responses, shape).values();
        float[] copiedGradient = policy.supervisedGradient(oneEach, responses, shape).values();
        assertArrayEquals(copiedGradient, sharedGradient, 1e-6f);
    }

    @Test
    void aGroupOfSamplesPerPromptDrawsEachRolloutFromItsOwnSeed() {
        VideoPolicy.Inputs single = inputs(2, 7);
        VideoPolicy.Inputs group = single.repeatEach(3);
        assertEquals(6, group.prompts().length);
        assertEquals(single.frames().length, group.frames().length, "the group's rollouts share their video's frames");
        int frameValues = single.frames().length / 2;
        for (int row = 0; row < 6; row++) {
            assertArrayEquals(single.prompts()[row / 3], group.prompts()[row]);
            assertArrayEquals(java.util.Arrays.copyOfRange(single.frames(), row / 3 * frameValues, (row / 3 + 1) * frameValues),
                    group.framesOf(row));
        }
        VideoPolicy.Generation rollouts = policy.generate(group, DecodingConfig.sampling(1.0, 0, 1.0, 12),
                new long[] {1, 2, 3, 4, 5, 6}, StopRule.NONE);
        boolean differ = !java.util.Arrays.equals(rollouts.tokens()[0], rollouts.tokens()[1])
                || !java.util.Arrays.equals(rollouts.tokens()[1], rollouts.tokens()[2]);
        assertTrue(differ, "the rollouts of one prompt differ by their seeds");
    }

    @Test
    void topKOfOneIsGreedy() {
        VideoPolicy.Inputs batch = inputs(2, 4);
        int[][] greedy = policy.generateGreedy(batch, 10, true);
        int[][] topOne = policy.generate(batch, DecodingConfig.sampling(1.0, 1, 1.0, 10), new long[] {1, 2}, StopRule.NONE).tokens();
        assertArrayEquals(greedy[0], topOne[0]);
        assertArrayEquals(greedy[1], topOne[1]);
    }

    @Test
    void generationLogProbsAreWhatTrainingScoresAtTheSamplingTemperature() {
        VideoPolicy.Inputs batch = inputs(3, 5);
        for (DecodingConfig decoding : List.of(DecodingConfig.sampling(0.7, 0, 1, 12), DecodingConfig.sampling(0.9, 50, 0.95, 12))) {
            VideoPolicy.Generation generation = policy.generate(batch, decoding, new long[] {5, 6, 7}, StopRule.NONE);
            int[][] tokens = generation.tokens();
            VideoPolicy.TokenScores scores = policy.score(batch, tokens, decoding.temperature());
            VideoPolicy.TokenScores untempered = policy.score(batch, tokens);
            double largestGap = 0;
            for (int b = 0; b < 3; b++) {
                String label = "row " + b + " at T = " + decoding.temperature();
                assertArrayEquals(scores.logProbs()[b], generation.logProbs()[b], 1e-4, "log-probs of " + label);
                assertArrayEquals(scores.entropies()[b], generation.entropies()[b], 1e-4, "entropies of " + label);
                for (int t = 0; t < tokens[b].length; t++) {
                    largestGap = Math.max(largestGap, Math.abs(untempered.logProbs()[b][t] - generation.logProbs()[b][t]));
                }
            }
            assertTrue(largestGap > 1e-2, "log-probs at T = 1 would differ from the sampled distribution's: " + largestGap);

            // Training scores the policy at the same temperature: with the generation's log-probs
            // as the old ones, every ratio is 1 (ppo_kl 0) and token-mean pg_loss is −mean(A) = −1.
            double[][] advantages = new double[3][];
            long count = 0;
            for (int b = 0; b < 3; b++) {
                advantages[b] = new double[tokens[b].length];
                Arrays.fill(advantages[b], 1);
                count += tokens[b].length;
            }
            BatchShape shape = new BatchShape(3, count, 12);
            LossResult tempered = policy.policyGradient(batch, tokens, new VideoPolicy.PolicyTargets(generation.logProbs(), null,
                    advantages, decoding.temperature()), PolicyLossConfig.DEFAULTS, shape).loss();
            assertEquals(0, tempered.approximateKl(), 1e-5, "ppo_kl at the sampling temperature");
            assertEquals(-1, tempered.pgLoss(), 1e-5, "pg_loss with every ratio 1");
            LossResult atOne = policy.policyGradient(batch, tokens, new VideoPolicy.PolicyTargets(generation.logProbs(), null,
                    advantages, 1), PolicyLossConfig.DEFAULTS, shape).loss();
            assertTrue(Math.abs(atOne.approximateKl()) > 1e-3, "scored at T = 1 the ratios are not 1: ppo_kl " + atOne.approximateKl());
        }
    }

    @Test
    void aStopRuleEndsTheResponseAfterItsToken() {
        VideoPolicy.Inputs batch = inputs(2, 6);
        int[][] free = policy.generateGreedy(batch, 12, true);
        int stopToken = free[0][Math.min(2, free[0].length - 1)];
        VideoPolicy.Generation stopped = policy.generate(batch, DecodingConfig.greedy(12), new long[2],
                StopRule.afterTokens(java.util.Set.of(stopToken)));
        int[] expected = java.util.Arrays.copyOf(free[0], indexOf(free[0], stopToken) + 1);
        assertArrayEquals(expected, stopped.tokens()[0]);
        assertTrue(stopped.finished()[0]);
    }

    private static int indexOf(int[] tokens, int token) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == token) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void parametersFlattenAndLoadBack() {
        float[] flat = policy.parameters().flatten();
        assertEquals(policy.parameters().size(), flat.length);
        policy.parameters().load(flat);
        assertArrayEquals(flat, policy.parameters().flatten());
    }
}
