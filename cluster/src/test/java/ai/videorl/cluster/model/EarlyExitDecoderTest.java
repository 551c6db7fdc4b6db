package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.GradientClipping;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.prompt.PromptLayout;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.text.VocabularyTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A policy trained on answer-think-answer references: early exit keeps its answers and saves tokens. */
class EarlyExitDecoderTest {

    private static final List<String> RESPONSES = List.of(
            "\\boxed{B}<think>The red square came first.</think>\\boxed{B}",
            "\\boxed{" + VideoAutoR1.FALLBACK_PHRASE + "}<think>I count two circles.</think>\\boxed{2}",
            "\\boxed{A}<think>The blue circle came first.</think>\\boxed{A}",
            "\\boxed{yes}<think>A green triangle is visible.</think>\\boxed{yes}");

    /**
     * Mean token cross-entropy at which greedy decoding must recite the references: over their
     * ~88 tokens no single token can then cost more than 0.18 nats, so each has p > 0.8 and wins.
     */
    private static final double CONVERGED = 0.002;
    private static final int MAX_STEPS = 1500;
    private static final double MAX_GRADIENT_NORM = 1.0;
    /** Steps without a 2% better loss before the learning rate halves. */
    private static final int PATIENCE = 100;

    private static VocabularyTokenizer tokenizer;
    private static TinyProcessor processor;
    private static VideoPolicy policy;
    private static VideoPolicy.Inputs inputs;

    @BeforeAll
    static void train() {
        tokenizer = VocabularyTokenizer.fromCorpus(RESPONSES, Recipes.TEMPLATE_PIECES, 1);
        processor = new TinyProcessor(tokenizer, new PromptLayout(2), 0, video -> {
            throw new AssertionError("the inputs are built by hand");
        });
        policy = VideoPolicy.create(new PolicyConfig(tokenizer.size(), 48, 2, 4, 16, 4, 96), Device.cpu(), 5);
        Random random = new Random(1);
        float[] frames = new float[4 * 4 * 3 * 16 * 16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = random.nextFloat();
        }
        int[][] prompts = new int[4][];
        int[][] targets = new int[4][];
        long tokens = 0;
        for (int b = 0; b < 4; b++) {
            prompts[b] = new int[] {tokenizer.id(" first") + b, VocabularyTokenizer.BEGIN};
            int[] ids = tokenizer.encode(RESPONSES.get(b)).ids();
            targets[b] = Arrays.copyOf(ids, ids.length + 1);
            targets[b][ids.length] = VocabularyTokenizer.END;
            tokens += targets[b].length;
        }
        inputs = new VideoPolicy.Inputs(frames, 4, prompts);
        AdamW optimizer = new AdamW(AdamWConfig.withLearningRate(3e-3), policy.weights().length);
        BatchShape shape = new BatchShape(4, tokens, 64);
        // Train to convergence, not for a fixed count: libtorch's threaded reductions differ in the
        // last bits from run to run, and the tests below are about early exit on a trained policy.
        // The rate halves whenever the loss stops improving: at a fixed 3e-3 a run now and then
        // circles a plateau (loss ~0.4) instead of converging.
        double loss = Double.MAX_VALUE;
        double best = Double.MAX_VALUE;
        double learningRate = 3e-3;
        int lastImprovement = 0;
        int steps = 0;
        for (int step = 0; step < MAX_STEPS && loss > CONVERGED; step++) {
            float[] weights = policy.weights();
            VideoPolicy.Gradient gradient = policy.supervisedGradient(inputs, targets, shape);
            // As the trainer does: clip by global norm, and skip a step whose gradient is not finite.
            if (Double.isFinite(GradientClipping.clipByGlobalNorm(gradient.values(), MAX_GRADIENT_NORM))) {
                optimizer.step(weights, gradient.values(), learningRate);
                policy.loadWeights(weights);
            }
            loss = gradient.loss().loss();
            if (loss < best * 0.98) {
                best = loss;
                lastImprovement = step;
            } else if (step - lastImprovement >= PATIENCE) {
                learningRate = Math.max(learningRate / 2, 1e-4);
                lastImprovement = step;
            }
            steps = step + 1;
        }
        assertTrue(loss <= CONVERGED, "the policy did not learn the references: loss " + loss + " after " + steps + " steps");
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void confidentAnswersStopEarlyAndAgreeWithTheFullDecode() {
        int[][] full = policy.generateGreedy(inputs, 64, true);
        EarlyExitDecoder.Answer[] early = new EarlyExitDecoder(policy, processor).decode(inputs, 0.9, 24, 64);
        VideoAutoR1 recipe = new VideoAutoR1();
        for (int b = 0; b < 4; b++) {
            String fullText = tokenizer.decode(full[b]);
            assertEquals(RESPONSES.get(b), fullText, "the policy learnt sample " + b);
            assertTrue(early[b].tokens().length <= full[b].length, "early exit never generates more: sample " + b);
            if (b == 1) {
                assertEquals(EarlyExitDecoder.NO_CONFIDENCE, early[b].confidence(), "the fallback phrase has no confidence");
                assertFalse(early[b].exitedEarly());
                assertEquals(fullText, early[b].text(), "an unsure answer is decoded to the end, as in the full decode");
            } else {
                assertTrue(early[b].confidence() >= 0.9, "confidence of sample " + b + ": " + early[b].confidence());
                assertTrue(early[b].exitedEarly());
                assertTrue(early[b].text().endsWith("<think>"), early[b].text());
                assertEquals(recipe.parse(fullText).finalAnswer(), recipe.parse(early[b].text()).firstAnswer(),
                        "the early answer is the full decode's final answer");
            }
        }
    }

    @Test
    void confidenceIsTheGeometricMeanProbabilityOfTheFirstBoxsTokens() {
        int[] tokens = tokenizer.encode("\\boxed{B}<think>").ids();
        VideoPolicy.TokenScores scores = policy.score(new VideoPolicy.Inputs(Arrays.copyOf(inputs.frames(), inputs.frames().length / 4),
                4, new int[][] {inputs.prompts()[0]}), new int[][] {tokens});
        double expected = Math.exp(scores.logProbs()[0][1]);
        assertEquals(expected, EarlyExitDecoder.confidence(processor, tokens, scores.logProbs()[0]), 1e-12);
    }

    @Test
    void aTokenizerThatSpellsThinkInPiecesEndsTheFirstStageAtTheTokenThatCompletesIt() {
        // Qwen2.5-VL's tokenizer has no <think> token: the tag comes as "<", "think", ">".
        VocabularyTokenizer spelling = VocabularyTokenizer.fromCorpus(RESPONSES, List.of(), 1);
        TinyProcessor spelled = new TinyProcessor(spelling, new PromptLayout(2), 0, video -> {
            throw new AssertionError("no video is read");
        });
        assertEquals(-1, spelled.tokenId(EarlyExitDecoder.THINK));
        int[] ids = spelling.encode(RESPONSES.get(0)).ids();
        int think = EarlyExitDecoder.thinkIndex(spelled, -1, ids);
        assertTrue(spelled.decode(java.util.Arrays.copyOf(ids, think + 1)).endsWith("<think>"), "the first stage ends with the tag");
        assertFalse(spelled.decode(java.util.Arrays.copyOf(ids, think)).contains("<think>"), "and not before its last piece");
        assertEquals(-1, EarlyExitDecoder.thinkIndex(spelled, -1, spelling.encode("\\boxed{A}<thin").ids()));
        // The first box is found before the tag: certain tokens, confidence 1 (-1 would mean no first answer).
        assertEquals(1.0, EarlyExitDecoder.firstAnswerConfidence(spelled, ids, new double[ids.length], -1));
    }

    @Test
    void aThresholdAboveOneNeverExits() {
        EarlyExitDecoder.Answer[] answers = new EarlyExitDecoder(policy, processor).decode(inputs, 1.01, 24, 64);
        int[][] full = policy.generateGreedy(inputs, 64, true);
        for (int b = 0; b < 4; b++) {
            assertFalse(answers[b].exitedEarly());
            assertEquals(tokenizer.decode(full[b]), answers[b].text(), "two stages decode what one does");
        }
    }

    @Test
    void rowsThatThinkGoOnInTheSamePassAndDrawNoMoreTokensThanTheFullDecode() {
        List<Integer> generated = new ArrayList<>();
        Policy counting = new Policy() {
            @Override
            public Generation generate(PolicyInputs batch, DecodingConfig decoding, long[] seeds, StopRule stop) {
                Generation generation = policy.generate(batch, decoding, seeds, stop);
                generated.add(Arrays.stream(generation.tokens()).mapToInt(tokens -> tokens.length).sum());
                return generation;
            }

            @Override
            public TokenScores score(PolicyInputs batch, int[][] responses, double temperature) {
                return policy.score(batch, responses, temperature);
            }

            @Override
            public Gradient policyGradient(PolicyInputs batch, int[][] responses, PolicyTargets targets, PolicyLossConfig loss,
                                           BatchShape shape) {
                return policy.policyGradient(batch, responses, targets, loss, shape);
            }

            @Override
            public Gradient supervisedGradient(PolicyInputs batch, int[][] responses, BatchShape shape) {
                return policy.supervisedGradient(batch, responses, shape);
            }

            @Override
            public TrainableWeights trainableWeights(long version) {
                return policy.trainableWeights(version);
            }

            @Override
            public void loadTrainableWeights(TrainableWeights weights) {
                policy.loadTrainableWeights(weights);
            }

            @Override
            public void close() {
            }
        };
        int full = Arrays.stream(policy.generateGreedy(inputs, 64, true)).mapToInt(tokens -> tokens.length).sum();
        new EarlyExitDecoder(counting, processor).decode(inputs, 1.01, 24, 64);
        assertEquals(List.of(full), generated, "one pass, as many tokens as the full decode, when no row exits");
        generated.clear();
        new EarlyExitDecoder(counting, processor).decode(inputs, 0.9, 24, 64);
        assertEquals(1, generated.size(), "one pass");
        assertTrue(generated.get(0) < full, generated.get(0) + " tokens with exits against " + full + " without");
    }
}
