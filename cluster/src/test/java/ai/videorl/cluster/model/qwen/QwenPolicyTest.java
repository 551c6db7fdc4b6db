package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyInputs;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.text.TokenOffsets;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Qwen2.5-VL through the {@link Policy} and {@link PolicyProcessor} interfaces the stages use, on the
 * end-to-end case's checkpoint (tiny random BF16 weights, the real tokenizer) and video: generation
 * and teacher forcing as transformers computes them, left-padded batches equal to their rows
 * alone, and gradients that are the loss's.
 */
class QwenPolicyTest {

    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path directory;

    private static JsonNode expected;
    private static QwenPolicy policy;
    private static QwenProcessor processor;
    private static QwenPolicyProcessor prompts;
    private static QwenPolicyInputs inputs;

    @BeforeAll
    static void load() throws IOException {
        expected = QwenFixtures.endToEndExpected();
        Path checkpoint = QwenFixtures.endToEndCheckpoint(directory);
        policy = QwenPolicy.load(checkpoint, Device.cpu(), ModelDtype.FLOAT32);
        processor = QwenProcessor.load(checkpoint);
        prompts = new QwenPolicyProcessor(processor, expected.get("system_prompt").asText(), "",
                QwenVideoOptions.defaults().withFps(2.0).withMinPixels(3136), Path::of);
        inputs = prompts.inputs(expected.get("user_text").asText(), QwenFixtures.endToEndVideo().toString());
    }

    @AfterAll
    static void close() {
        processor.close();
        policy.close();
    }

    @Test
    void generatesAndScoresTheResponseAsTransformersDoes() {
        assertArrayEquals(ints(expected.get("prompt_ids")), inputs.prompts()[0], "prompt ids");
        Policy.Generation generation = policy.generate(inputs, DecodingConfig.greedy(expected.get("max_new_tokens").asInt()),
                new long[1], StopRule.NONE);
        int[] response = ints(expected.get("response_ids"));
        assertArrayEquals(response, generation.tokens()[0], "greedy response");
        assertEquals(expected.get("response").asText(), prompts.decode(response));
        Policy.TokenScores scores = policy.score(inputs, new int[][] {response});
        for (int k = 0; k < response.length; k++) {
            double reference = expected.get("logprobs").get(k).asDouble();
            assertEquals(reference, generation.logProbs()[0][k], TOLERANCE, "decoded log-prob " + k);
            assertEquals(reference, scores.logProbs()[0][k], TOLERANCE, "teacher-forced log-prob " + k);
            assertEquals(generation.entropies()[0][k], scores.entropies()[0][k], TOLERANCE, "entropy " + k);
        }
    }

    @Test
    void aResponseMayHoldVisionPlaceholdersWhichScoreAsText() {
        // A policy can sample <|video_pad|> or <|image_pad|>: decoding embedded them as text, and so must scoring.
        Qwen25VlConfig config = policy.model().config();
        int[] plain = ints(expected.get("response_ids"));
        int[] sampled = Arrays.copyOf(plain, plain.length);
        sampled[2] = config.videoTokenId();
        sampled[3] = config.imageTokenId();
        double[] withPlaceholders = policy.score(inputs, new int[][] {sampled}).logProbs()[0];
        double[] reference = policy.score(inputs, new int[][] {plain}).logProbs()[0];
        for (int k = 0; k < sampled.length; k++) {
            assertTrue(Double.isFinite(withPlaceholders[k]) && withPlaceholders[k] <= 0, "log-prob " + k + ": " + withPlaceholders[k]);
        }
        // Causal: the tokens before the placeholders score as they did.
        assertEquals(reference[0], withPlaceholders[0], TOLERANCE);
        assertEquals(reference[1], withPlaceholders[1], TOLERANCE);
        assertNotEquals(reference[4], withPlaceholders[4], "what follows sees the placeholders' embeddings");
    }

    @Test
    void aLeftPaddedBatchAnswersAsEachRowAlone() {
        Sample longer = sample("q1", "What moves in this video, and in which direction does it go?", List.of("A. left", "B. right"));
        Sample shorter = sample("q2", "What moves?", List.of());
        List<PolicyProcessor.Batch> batches = prompts.batches(List.of(longer, shorter), 8, Sample::id);
        assertEquals(1, batches.size());
        QwenPolicyInputs both = (QwenPolicyInputs) batches.get(0).inputs();
        assertEquals(1, both.videos().size(), "one video, read once");
        assertNotEquals(both.prompts()[0].length, both.prompts()[1].length, "rows of different lengths");
        DecodingConfig greedy = DecodingConfig.greedy(6);
        Policy.Generation together = policy.generate(both, greedy, new long[2], StopRule.NONE);
        List<Sample> samples = List.of(longer, shorter);
        for (int row = 0; row < 2; row++) {
            PolicyInputs alone = prompts.batches(List.of(samples.get(row)), 1, Sample::id).get(0).inputs();
            Policy.Generation single = policy.generate(alone, greedy, new long[1], StopRule.NONE);
            assertArrayEquals(single.tokens()[0], together.tokens()[row], "row " + row);
            for (int k = 0; k < single.logProbs()[0].length; k++) {
                assertEquals(single.logProbs()[0][k], together.logProbs()[row][k], TOLERANCE, "row " + row + " log-prob " + k);
            }
        }
        int[][] responses = {together.tokens()[0], Arrays.copyOf(together.tokens()[1], 3)};
        Policy.TokenScores scores = policy.score(both, responses);
        for (int row = 0; row < 2; row++) {
            for (int k = 0; k < responses[row].length; k++) {
                assertEquals(together.logProbs()[row][k], scores.logProbs()[row][k], TOLERANCE, "ragged row " + row + " token " + k);
            }
        }
    }

    @Test
    void rolloutsOfOneSeedRepeatAndOfTwoSeedsDiffer() {
        QwenPolicyInputs group = inputs.repeatEach(3);
        Policy.Generation sampled = policy.generate(group, DecodingConfig.sampling(1.0, 0, 1.0, 6), new long[] {7, 7, 8},
                StopRule.NONE);
        assertArrayEquals(sampled.tokens()[0], sampled.tokens()[1], "same seed, same rollout");
        assertTrue(!Arrays.equals(sampled.tokens()[0], sampled.tokens()[2]), "another seed, another rollout");
    }

    @Test
    void theGradientsAreTheLosses() {
        int[][] response = {ints(expected.get("response_ids"))};
        BatchShape shape = new BatchShape(1, response[0].length, response[0].length);
        Policy.Gradient supervised = policy.supervisedGradient(inputs, response, shape);
        double meanLogProb = StreamSupport.stream(expected.get("logprobs").spliterator(), false).mapToDouble(JsonNode::asDouble)
                .average().orElseThrow();
        assertEquals(-meanLogProb, supervised.loss().loss(), TOLERANCE, "cross-entropy: the mean negative log-likelihood");

        // At ratio 1 the clipped objective's gradient is the advantage times the log-likelihood's.
        double advantage = 0.5;
        double[][] old = policy.score(inputs, response).logProbs();
        double[][] advantages = {Arrays.stream(old[0]).map(value -> advantage).toArray()};
        Policy.Gradient grpo = policy.policyGradient(inputs, response, new Policy.PolicyTargets(old, null, advantages, 1),
                PolicyLossConfig.DEFAULTS, shape);
        assertEquals(-advantage, grpo.loss().loss(), TOLERANCE);
        float largest = 0;
        for (float value : supervised.values()) {
            largest = Math.max(largest, Math.abs(value));
        }
        assertTrue(largest > 0, "the cross-entropy has a gradient");
        for (int i = 0; i < supervised.values().length; i++) {
            assertEquals(advantage * supervised.values()[i], grpo.values()[i], 1e-6 + 1e-4 * largest, "gradient value " + i);
        }

        // A small step against the gradient lowers the loss by about the step times the gradient's squared norm.
        TrainableWeights before = policy.trainableWeights(0);
        double squaredNorm = 0;
        for (float value : supervised.values()) {
            squaredNorm += (double) value * value;
        }
        double step = 1e-3 / Math.sqrt(squaredNorm);
        float[] moved = before.values().clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] -= (float) (step * supervised.values()[i]);
        }
        try {
            policy.loadTrainableWeights(new TrainableWeights(1, before.names(), before.shapes(), moved));
            double after = policy.supervisedGradient(inputs, response, shape).loss().loss();
            double predicted = step * squaredNorm;
            double drop = supervised.loss().loss() - after;
            assertEquals(predicted, drop, 0.2 * predicted, "first-order loss change");
        } finally {
            policy.loadTrainableWeights(before);
        }
        assertEquals(before.checksum(), policy.trainableWeights(0).checksum(), "the weights restored");
    }

    @Test
    void trainableWeightsNameTheirTensorsAndRefuseAnotherShape() {
        TrainableWeights weights = policy.trainableWeights(3);
        assertEquals(3, weights.version());
        assertTrue(weights.names().contains("model.embed_tokens.weight"), weights.names().toString());
        assertTrue(weights.names().contains("visual.patch_embed.proj.weight"), weights.names().toString());
        List<long[]> wrong = new ArrayList<>(weights.shapes());
        wrong.set(0, new long[] {wrong.get(0)[0] + 1});
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> policy.loadTrainableWeights(
                new TrainableWeights(4, weights.names(), wrong, new float[Math.toIntExact(
                        wrong.stream().mapToLong(shape -> Arrays.stream(shape).reduce(1, (a, b) -> a * b)).sum())])));
        assertTrue(error.getMessage().contains(weights.names().get(0)), error.getMessage());
    }

    @Test
    void theProcessorWritesTheRecipesTextAndEndsResponsesWithTheEndOfTurn() {
        int end = processor.tokenizer().specialTokenId(QwenPolicyProcessor.END_OF_TURN);
        int[] reference = prompts.referenceTargets("\\boxed{A}");
        assertEquals(end, reference[reference.length - 1]);
        assertEquals("\\boxed{A}", prompts.decode(reference), "the end token is not text");
        int think = prompts.tokenId("<think>");
        assertTrue(think >= 0, "the Qwen3 tokenizer writes <think> as one token");
        int[] ids = processor.tokenizer().encode("\\boxed{A}<think>é</think>");
        String text = prompts.decode(ids);
        TokenOffsets offsets = prompts.offsets(ids);
        assertEquals(ids.length, offsets.size());
        assertEquals(text.length(), offsets.end(ids.length - 1), "the tokens cover the text");
        assertEquals(offsets, prompts.tokenize(text), "the offsets of the ids are those of their text");
        String mixed = "\\boxed{B}<think>猫が2匹、🐈‍⬛ café — naïve 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓</think>\\boxed{B}";
        int[] mixedIds = processor.tokenizer().encode(mixed);
        assertEquals(mixed, prompts.decode(mixedIds));
        TokenOffsets mixedOffsets = prompts.offsets(mixedIds);
        assertEquals(mixed.length(), mixedOffsets.end(mixedIds.length - 1));
        // What the offsets mean, by the text of each prefix: a token ends where the complete characters
        // of the ids up to it end.
        for (int k = 0; k < mixedIds.length; k++) {
            String prefix = prompts.decode(Arrays.copyOf(mixedIds, k + 1));
            int complete = 0;
            while (complete < prefix.length() && complete < mixed.length() && prefix.charAt(complete) == mixed.charAt(complete)) {
                complete++;
            }
            assertEquals(complete, mixedOffsets.end(k), "token " + k + " of " + Arrays.toString(mixedIds));
        }
        QwenPolicyProcessor withInstructions = new QwenPolicyProcessor(processor, null, "Answer in a box.",
                QwenVideoOptions.defaults(), Path::of);
        assertEquals("What moves?\nAnswer in a box.", withInstructions.userText(sample("q", "What moves?", List.of())));
    }

    private static Sample sample(String id, String question, List<String> options) {
        return new Sample(id, QwenFixtures.endToEndVideo().toString(), question, options.isEmpty() ? ProblemType.FREE_FORM
                : ProblemType.MULTIPLE_CHOICE, options, new Solution.Text("A"), Map.of(), List.of(), OptionalDouble.empty());
    }

    private static int[] ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
    }
}
