package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static ai.videorl.cluster.model.qwen.ModelCase.GRADIENT_RELATIVE;
import static ai.videorl.cluster.model.qwen.ModelCase.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Qwen2.5-VL on DJL against transformers 4.57.6 (eager attention, float32) on the tiny random
 * checkpoints of {@code scripts/qwen-fixtures/generate_models.py}: rotary positions and greedy
 * tokens exactly; vision tokens, logits and log-probabilities within
 * {@code |ours - reference| <= 1e-5 + 1e-5 · max|reference|} over each tensor, gradients within
 * {@code 1e-5 + 1e-4 · max|reference|} (measured: see the printed figures). float32 sums in
 * another order differ by a few ulps; gradients reach 3e-5 of the largest because the head runs
 * on the response's rows only, and its backward sums over 151,936 tokens in another order than
 * transformers' head over every row.
 */
class Qwen25VlParityTest {


    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-tied", "gqa4-untied-sharded", "other-layout", "bf16-real-vocab"})
    void positionsVisionTokensAndLogitsMatchTransformers(String name) {
        try (ModelCase fixture = ModelCase.open(name); NDManager scope = manager.newSubManager()) {
            Qwen25VlModel.Prompts prompts = fixture.prompts(scope);
            MropePositions positions = MropePositions.of(prompts.ids(), null, prompts.videos(), fixture.model().config());
            assertArrayEquals(fixture.reference().longs("position_ids"), flatten(positions.positions()), name + " position ids");
            assertEquals(fixture.reference().longs("rope_deltas")[0], positions.deltas()[0], name + " rope delta");

            NDArray vision = fixture.model().videoFeatures(prompts.patches(), prompts.videos(), scope);
            assertClose(name + " vision tokens", fixture.floats("vision_embeds"), vision.toFloatArray());

            NDArray logits = fixture.model().logits(prompts, scope);
            if (fixture.reference().contains("logits")) {
                assertClose(name + " prefill logits", fixture.floats("logits"), logits.toFloatArray());
            } else {
                long length = logits.getShape().get(1);
                assertClose(name + " prefill logits (last 4)", fixture.floats("logits_last4"),
                        logits.get(":, " + (length - 4) + ":, :").toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-tied", "gqa4-untied-sharded", "other-layout", "bf16-real-vocab"})
    void greedyDecodingWithTheCacheMatchesTransformers(String name) {
        try (ModelCase fixture = ModelCase.open(name); NDManager scope = manager.newSubManager()) {
            List<float[]> stepLogits = new ArrayList<>();
            Qwen25VlModel.Generation generation = fixture.model().generate(fixture.prompts(scope), DecodingConfig.greedy(8),
                    new long[1], Set.of(), (step, logits) -> stepLogits.add(logits.toFloatArray()), scope);
            assertArrayEquals(fixture.ints("greedy_tokens")[0], generation.tokens()[0], name + " greedy tokens");
            float[] steps = concatenated(stepLogits);
            if (fixture.reference().contains("greedy_step_logits")) {
                assertClose(name + " step logits", fixture.floats("greedy_step_logits"), steps);
            } else {
                int vocabulary = steps.length / 8;
                float[] top = new float[8 * 5];
                long[] indices = fixture.reference().longs("greedy_step_top5_indices");
                for (int k = 0; k < top.length; k++) {
                    top[k] = steps[(k / 5) * vocabulary + Math.toIntExact(indices[k])];
                }
                assertClose(name + " step logits (top 5)", fixture.floats("greedy_step_top5_values"), top);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-tied", "gqa4-untied-sharded", "other-layout", "bf16-real-vocab"})
    void logProbsAndGradientsMatchTransformers(String name) {
        try (ModelCase fixture = ModelCase.open(name); NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> weights = fixture.model().weights().all();
            weights.values().forEach(tensor -> tensor.setRequiresGradient(true));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logProbs = fixture.model().responseLogProbs(fixture.prompts(scope), fixture.ints("response_ids"), scope);
                assertClose(name + " response log-probs", fixture.floats("response_logprobs"), logProbs.toFloatArray());
                collector.backward(logProbs.sum());
            }
            int compared = 0;
            for (String saved : fixture.reference().entries().keySet()) {
                if (saved.startsWith("grad/")) {
                    String tensor = saved.substring("grad/".length());
                    float[] ours = weights.get(Qwen25VlWeights.releasedName(tensor)).getGradient().toFloatArray();
                    assertClose(name + " gradient of " + tensor, fixture.floats(saved), ours, GRADIENT_RELATIVE);
                    compared++;
                } else if (saved.startsWith("grad_rows/")) {
                    String tensor = saved.substring("grad_rows/".length());
                    NDArray gradient = weights.get(Qwen25VlWeights.releasedName(tensor)).getGradient();
                    long[] rows = fixture.reference().longs("grad_rows_index/" + tensor);
                    assertClose(name + " gradient rows of " + tensor, fixture.floats(saved),
                            gradient.get(scope.create(rows)).toFloatArray(), GRADIENT_RELATIVE);
                    if (!fixture.model().config().text().tiedEmbeddings()) {
                        // Untied, only the prompt's and response's tokens reach the embedding (a tied one is the head too).
                        float total = gradient.abs().sum().getFloat();
                        float listed = gradient.get(scope.create(rows)).abs().sum().getFloat();
                        assertEquals(total, listed, 1e-6 * Math.max(1, total), name + ": only the listed rows have gradients");
                    }
                    compared++;
                }
            }
            assertTrue(compared >= 8, name + ": " + compared + " gradients compared");
        }
    }

    @Test
    void callsLeaveNothingInTheModelsManager() {
        try (ModelCase fixture = ModelCase.open("small-tied")) {
            NDManager model = fixture.model().weights().get(Qwen25VlWeights.EMBEDDING).getManager();
            int before = model.getManagedArrays().size();
            for (int call = 0; call < 2; call++) {
                try (NDManager scope = manager.newSubManager()) {
                    Qwen25VlModel.Prompts prompts = fixture.prompts(scope);
                    fixture.model().logits(prompts, scope);
                    fixture.model().generate(prompts, DecodingConfig.greedy(4), new long[1], Set.of(), null, scope);
                    fixture.model().responseLogProbs(prompts, fixture.ints("response_ids"), scope);
                }
                assertEquals(before, model.getManagedArrays().size(), "arrays left in the model's manager after call " + call);
            }
        }
    }

    @Test
    void decodingStepsHoldTheSameNumberOfArrays() {
        try (ModelCase fixture = ModelCase.open("small-tied"); NDManager scope = manager.newSubManager()) {
            Qwen25VlModel.Prompts prompts = fixture.prompts(scope);
            List<Integer> arrays = new ArrayList<>();
            // Every array of the call, the cache's and the current step's, seen from each step.
            fixture.model().generate(prompts, DecodingConfig.greedy(8), new long[1], Set.of(),
                    (step, logits) -> arrays.add(scope.getManagedArrays().size()), scope);
            assertEquals(8, arrays.size());
            assertEquals(List.of(arrays.get(1), arrays.get(1), arrays.get(1), arrays.get(1), arrays.get(1), arrays.get(1)),
                    arrays.subList(2, 8), "decoding steps after the first: " + arrays);
        }
    }

    @Test
    void aLeftPaddedBatchMatchesTransformersWhereTheMaskIsOne() {
        try (ModelCase fixture = ModelCase.open("small-tied"); NDManager scope = manager.newSubManager()) {
            int[][] ids = fixture.ints("batch2_input_ids");
            int[][] mask = fixture.ints("batch2_attention_mask");
            List<VideoGrid> videos = fixture.grids("batch2_video_grid_thw", "batch2_second_per_grid_ts");
            NDArray patches = fixture.reference().array("pixel_values_videos", scope);
            Qwen25VlModel.Prompts prompts = new Qwen25VlModel.Prompts(ids, mask, patches.concat(patches, 0), videos);

            MropePositions positions = MropePositions.of(ids, mask, videos, fixture.model().config());
            assertArrayEquals(fixture.reference().longs("batch2_position_ids"), flatten(positions.positions()));
            assertArrayEquals(fixture.reference().longs("batch2_rope_deltas"), positions.deltas());

            float[] ours = fixture.model().logits(prompts, scope).toFloatArray();
            float[] reference = fixture.floats("batch2_logits");
            int vocabulary = reference.length / (ids.length * ids[0].length);
            List<Float> oursReal = new ArrayList<>();
            List<Float> referenceReal = new ArrayList<>();
            for (int b = 0; b < ids.length; b++) {
                for (int k = 0; k < ids[b].length; k++) {
                    if (mask[b][k] == 1) {
                        int base = (b * ids[b].length + k) * vocabulary;
                        for (int v = 0; v < vocabulary; v++) {
                            oursReal.add(ours[base + v]);
                            referenceReal.add(reference[base + v]);
                        }
                    }
                }
            }
            assertClose("left-padded batch logits", toArray(referenceReal), toArray(oursReal));
            // Both rows show one video: given once, it goes through the vision tower once, to the same logits.
            assertEquals(videos.get(0), videos.get(1));
            Qwen25VlModel.Prompts shared = new Qwen25VlModel.Prompts(ids, mask, patches, List.of(videos.get(0)), new int[] {0, 0});
            assertArrayEquals(ours, fixture.model().logits(shared, scope).toFloatArray(), "one video shown by both rows");

            int[][] tokens = fixture.model().generate(prompts, DecodingConfig.greedy(8), new long[2], Set.of(), null, scope).tokens();
            int[][] expected = fixture.ints("batch2_greedy_tokens");
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(expected[b], tokens[b], "row " + b + " greedy tokens");
            }
        }
    }

    private static float[] concatenated(List<float[]> steps) {
        float[] all = new float[steps.stream().mapToInt(step -> step.length).sum()];
        int offset = 0;
        for (float[] step : steps) {
            System.arraycopy(step, 0, all, offset, step.length);
            offset += step.length;
        }
        return all;
    }

    private static long[] flatten(long[][][] values) {
        return Arrays.stream(values).flatMap(Arrays::stream).flatMapToLong(Arrays::stream).toArray();
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
