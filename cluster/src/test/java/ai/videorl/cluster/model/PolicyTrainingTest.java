package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.KlEstimator;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLoss;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.loss.PolicyLossMode;
import ai.videorl.common.loss.SequenceTerms;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyTrainingTest {

    private static final PolicyConfig CONFIG = new PolicyConfig(40, 32, 2, 4, 16, 4, 64);

    /** Four samples: random frames, a prompt, and a response of 3 to 6 tokens (ending with END). */
    private static VideoPolicy.Inputs inputs(Random random) {
        float[] frames = new float[4 * 4 * 3 * 16 * 16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = random.nextFloat();
        }
        int[][] prompts = new int[4][];
        for (int b = 0; b < 4; b++) {
            prompts[b] = new int[] {VocabularyTokenizer.PAD, 4 + random.nextInt(36), 4 + random.nextInt(36), VocabularyTokenizer.BEGIN};
        }
        return new VideoPolicy.Inputs(frames, 4, prompts);
    }

    private static int[][] responses(Random random) {
        int[][] responses = new int[4][];
        for (int b = 0; b < 4; b++) {
            responses[b] = new int[3 + b];
            for (int t = 0; t < responses[b].length - 1; t++) {
                responses[b][t] = 4 + random.nextInt(36);
            }
            responses[b][responses[b].length - 1] = VocabularyTokenizer.END;
        }
        return responses;
    }

    private static BatchShape shape(int[][] responses) {
        long tokens = 0;
        for (int[] response : responses) {
            tokens += response.length;
        }
        return new BatchShape(responses.length, tokens, 16);
    }

    @Test
    void theTensorLossEqualsTheCommonGrpoCore() {
        Random random = new Random(3);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 11)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            VideoPolicy.TokenScores scores = policy.score(inputs, responses);
            double[][] old = new double[4][];
            double[][] reference = new double[4][];
            double[][] advantages = new double[4][];
            List<SequenceTerms> sequences = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                int length = responses[b].length;
                old[b] = new double[length];
                reference[b] = new double[length];
                advantages[b] = new double[length];
                double advantage = random.nextGaussian();
                for (int t = 0; t < length; t++) {
                    // Spread the ratios so that both clip bounds and the dual clip are active somewhere.
                    old[b][t] = scores.logProbs()[b][t] + random.nextGaussian() * 0.6;
                    reference[b][t] = scores.logProbs()[b][t] + random.nextGaussian() * 0.3;
                    advantages[b][t] = advantage * 2;
                }
                sequences.add(new SequenceTerms(scores.logProbs()[b], old[b], reference[b], advantages[b], scores.entropies()[b]));
            }
            List<PolicyLossConfig> configs = new ArrayList<>();
            for (KlEstimator estimator : KlEstimator.values()) {
                PolicyLossConfig base = PolicyLossConfig.DEFAULTS.withKl(estimator, 0.05).withEntropyCoefficient(0.01)
                        .withClip(0.2, 0.28, 1.5);
                for (LossAggregation aggregation : LossAggregation.values()) {
                    configs.add(base.withAggregation(aggregation));
                }
                configs.add(base.withMode(PolicyLossMode.GSPO, LossAggregation.SEQ_MEAN_TOKEN_MEAN));
            }
            for (PolicyLossConfig config : configs) {
                LossResult expected = new PolicyLoss(config).evaluate(sequences, shape(responses));
                LossResult actual = policy.policyGradient(inputs, responses,
                        new VideoPolicy.PolicyTargets(old, reference, advantages, 1), config, shape(responses)).loss();
                String label = config.mode() + " " + config.aggregation() + " " + config.klEstimator();
                assertEquals(expected.loss(), actual.loss(), 1e-4, label);
                assertEquals(expected.pgLoss(), actual.pgLoss(), 1e-4, label);
                assertEquals(expected.klLoss(), actual.klLoss(), 1e-4, label);
                assertEquals(expected.entropy(), actual.entropy(), 1e-4, label);
                assertEquals(expected.tokens(), actual.tokens(), label);
                assertEquals(expected.clippedTokens(), actual.clippedTokens(), label);
                assertEquals(expected.dualClippedTokens(), actual.dualClippedTokens(), label);
                assertEquals(expected.negativeLogRatioSum(), actual.negativeLogRatioSum(), 1e-4, label);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random random = new Random(5);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 13)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            assertMatchesFiniteDifferences(policy, trained -> trained.supervisedGradient(inputs, responses, shape(responses)));
        }
    }

    /**
     * GSPO's token-level form (the sequence ratio's value with each token's own gradient) is the
     * gradient of the sequence-level objective: finite differences of the loss, whose every token
     * sees its sequence's ratio, agree with it.
     */
    @Test
    void gspoGradientsMatchFiniteDifferencesOfTheSequenceObjective() {
        Random random = new Random(6);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 14)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            double[][] logProbs = policy.score(inputs, responses).logProbs();
            double[][] old = new double[4][];
            double[][] advantages = new double[4][];
            for (int b = 0; b < 4; b++) {
                old[b] = new double[responses[b].length];
                advantages[b] = new double[responses[b].length];
                Arrays.fill(advantages[b], b - 1.5);
                for (int t = 0; t < old[b].length; t++) {
                    old[b][t] = logProbs[b][t] + random.nextGaussian() * 0.05;
                }
            }
            VideoPolicy.PolicyTargets targets = new VideoPolicy.PolicyTargets(old, null, advantages, 1);
            // A clip range no sequence's ratio reaches, so the objective is smooth where it is probed.
            PolicyLossConfig gspo = PolicyLossConfig.DEFAULTS.withMode(PolicyLossMode.GSPO, LossAggregation.SEQ_MEAN_TOKEN_MEAN)
                    .withClip(0.9, 10, 3);
            assertMatchesFiniteDifferences(policy, trained -> trained.policyGradient(inputs, responses, targets, gspo, shape(responses)));
        }
    }

    /** Central differences of the loss at a few coordinates with a clear gradient agree with the gradient. */
    private static void assertMatchesFiniteDifferences(VideoPolicy policy, Function<VideoPolicy, VideoPolicy.Gradient> gradientOf) {
        VideoPolicy.Gradient gradient = gradientOf.apply(policy);
        float[] weights = policy.weights();
        int checked = 0;
        for (int index = 0; index < weights.length && checked < 6; index += 97) {
            if (Math.abs(gradient.values()[index]) < 1e-2) {
                continue;
            }
            double step = 1e-2;
            float[] plus = weights.clone();
            plus[index] += (float) step;
            policy.loadWeights(plus);
            double up = gradientOf.apply(policy).loss().loss();
            float[] minus = weights.clone();
            minus[index] -= (float) step;
            policy.loadWeights(minus);
            double down = gradientOf.apply(policy).loss().loss();
            double numeric = (up - down) / (2 * step);
            assertEquals(numeric, gradient.values()[index], 0.05 * Math.abs(numeric) + 2e-3, "parameter " + index);
            checked++;
        }
        policy.loadWeights(weights);
        assertTrue(checked >= 3, "checked " + checked + " coordinates");
    }

    @Test
    void eachGradientIsItsOwnNeitherAccumulatedNorPoisonedByAnEarlierNaN() {
        Random random = new Random(21);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 23)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            float[] first = policy.supervisedGradient(inputs, responses, shape(responses)).values();
            assertArrayEquals(first, policy.supervisedGradient(inputs, responses, shape(responses)).values(), 1e-6f,
                    "a second pass on the same batch gives the same gradient, not twice it");
            float[] weights = policy.weights();
            float[] poisoned = weights.clone();
            Arrays.fill(poisoned, Float.NaN);
            policy.loadWeights(poisoned);
            float[] bad = policy.supervisedGradient(inputs, responses, shape(responses)).values();
            assertTrue(Float.isNaN(bad[0]) || Float.isNaN(bad[bad.length - 1]), "NaN weights give a NaN gradient");
            policy.loadWeights(weights);
            assertArrayEquals(first, policy.supervisedGradient(inputs, responses, shape(responses)).values(), 1e-6f,
                    "good weights give a good gradient again after a NaN pass");
        }
    }

    /**
     * Gradients computed while another thread keeps the garbage collector freeing and reusing
     * direct memory. DJL's {@code x.div(Number)} backs the number with a Java buffer it frees when
     * the op returns, though autograd reads it again in the backward pass (see TapeScalar):
     * such a gradient comes out as 1e30 or NaN here. With {@code x.div(Number)} back in place of
     * the TapeScalars, this failed on each of three runs. The GRPO gradient is taken at a sampling
     * temperature, so the logits' division by it is on the tape too.
     */
    @Test
    void gradientsDoNotDependOnTheGarbageCollector() throws InterruptedException {
        Random random = new Random(31);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 37)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            VideoPolicy.TokenScores scores = policy.score(inputs, responses);
            double[][] advantages = new double[4][];
            double[][] reference = new double[4][];
            for (int b = 0; b < 4; b++) {
                advantages[b] = new double[responses[b].length];
                reference[b] = new double[responses[b].length];
                Arrays.fill(advantages[b], b - 1.5);
                for (int t = 0; t < reference[b].length; t++) {
                    reference[b][t] = scores.logProbs()[b][t] - 0.1;
                }
            }
            VideoPolicy.PolicyTargets targets = new VideoPolicy.PolicyTargets(scores.logProbs(), reference, advantages, 0.7);
            PolicyLossConfig config = PolicyLossConfig.DEFAULTS.withKl(KlEstimator.K2, 0.05).withEntropyCoefficient(0.01);
            float[] supervised = policy.supervisedGradient(inputs, responses, shape(responses)).values();
            float[] grpo = policy.policyGradient(inputs, responses, targets, config, shape(responses)).values();
            try (DirectMemoryChurn churn = DirectMemoryChurn.start()) {
                for (int call = 0; call < 20; call++) {
                    assertArrayEquals(supervised, policy.supervisedGradient(inputs, responses, shape(responses)).values(), 1e-6f,
                            "supervised gradient, call " + call);
                    assertArrayEquals(grpo, policy.policyGradient(inputs, responses, targets, config, shape(responses)).values(),
                            1e-6f, "GRPO gradient, call " + call);
                }
                assertTrue(churn.collections() > 0, "the churn thread ran");
            }
        }
    }

    /** A thread that keeps freeing direct buffers and refilling freed native memory with 1e-30. */
    private static final class DirectMemoryChurn implements AutoCloseable {

        private final Thread thread;
        private final AtomicInteger collections = new AtomicInteger();
        private volatile boolean running = true;

        private DirectMemoryChurn() {
            thread = new Thread(this::run, "direct-memory-churn");
            thread.setDaemon(true);
        }

        static DirectMemoryChurn start() {
            DirectMemoryChurn churn = new DirectMemoryChurn();
            churn.thread.start();
            return churn;
        }

        private void run() {
            while (running) {
                System.gc();
                collections.incrementAndGet();
                List<ByteBuffer> filled = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                    buffer.putFloat(0, 1e-30f);
                    filled.add(buffer);
                }
            }
        }

        int collections() {
            return collections.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    @Test
    void supervisedStepsLowerTheLossClearly() {
        Random random = new Random(9);
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 17)) {
            VideoPolicy.Inputs inputs = inputs(random);
            int[][] responses = responses(random);
            AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(3e-3), policy.weights().length);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 200; step++) {
                last = SupervisedSteps.step(policy, optimizer, inputs, responses);
                first = step == 0 ? last : first;
            }
            assertTrue(first > 3, "an untrained policy is near log(40) = 3.7 nats per token, got " + first);
            assertTrue(last < 0.5, "after 200 steps the loss is " + last);
            // Recitation needs every token's argmax right, which a loss under 0.5 does not always
            // give after exactly 200 steps (libtorch's CPU sums are not bit-reproducible here):
            // train on to a bound that does, within 400 more steps.
            for (int step = 0; step < 400 && last > 0.02; step++) {
                last = SupervisedSteps.step(policy, optimizer, inputs, responses);
            }
            assertTrue(last <= 0.02, "400 steps more left the loss at " + last);
            int[][] generated = policy.generateGreedy(inputs, 8, true);
            for (int b = 0; b < 4; b++) {
                int[] expected = Arrays.copyOf(responses[b], responses[b].length - 1);
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, generated[b], "sample " + b + " is recited: "
                        + Arrays.toString(generated[b]) + " for " + Arrays.toString(responses[b]));
            }
        }
    }
}
