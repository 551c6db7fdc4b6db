package ai.videorl.cluster.config;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.KlEstimator;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.recipe.Recipes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The papers' settings in {@code conf/recipes/}: each loads, says where every value comes from, and holds those values. */
class RecipePresetsTest {

    private static final Path PRESETS = Path.of("..", "conf", "recipes");

    /** What a value's comment cites: a line of the reference's scripts, the paper, or that it is not published. */
    private static final Pattern SOURCE = Pattern.compile(
            "[a-z-]+(\\.py|\\.sh)?:\\d+|\\(paper|not published|defaults?\\b|this project|trainer:|script:|params:|args:");

    /** A judge for the presets whose paper needs one (no call is made here). */
    private static final List<String> JUDGE = List.of("recipe.judge_url=http://127.0.0.1:9/v1", "recipe.judge_model=judge");

    private static TrainingConfig load(String recipe) throws IOException {
        Path file = PRESETS.resolve(recipe + ".yaml");
        try (Reader reader = Files.newBufferedReader(file)) {
            return TrainingConfigLoader.load(reader, file.toString(), JUDGE);
        }
    }

    @Test
    void thereIsOnePresetPerRecipeAndEveryValueCitesItsSource() throws IOException {
        for (String recipe : Recipes.names()) {
            Path file = PRESETS.resolve(recipe + ".yaml");
            assertEquals(recipe, load(recipe).recipe().name(), file.toString());
            List<String> uncited = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                boolean value = !line.isBlank() && !line.startsWith("#") && line.startsWith(" ");
                int comment = line.indexOf("# ");
                if (value && (comment < 0 || !SOURCE.matcher(line.substring(comment)).find())) {
                    uncited.add(line);
                }
            }
            assertEquals(List.of(), uncited, file + ": every value says where it comes from");
        }
    }

    @Test
    void videoAutoR1IsTheReferenceScriptsSettings() throws IOException {
        TrainingConfig config = load("videoauto-r1");
        PolicyLossConfig loss = config.grpo().toLoss();
        assertEquals(16, config.rollout().groupSize());
        assertEquals(1.0, config.rollout().temperature());
        assertEquals(2048, config.rollout().maxNewTokens());
        assertEquals(1e-4, config.grpo().epsilon());
        assertEquals(0.01, loss.klCoefficient());
        assertEquals(KlEstimator.K3, loss.klEstimator());
        assertEquals(LossAggregation.SEQ_MEAN_TOKEN_MEAN, loss.aggregation());
        assertEquals(Double.POSITIVE_INFINITY, loss.dualClip(), "no dual clip");
        assertEquals(0.2, loss.clipLow());
        assertEquals(0.2, loss.clipHigh());
        assertEquals(128, config.data().promptsPerStep());
        assertEquals(8, config.grpo().miniBatches(), "eight optimizer steps of 16 prompts a generation batch");
        assertEquals(1e-6, config.optimizer().lr());
        assertEquals(1e-6, config.optimizer().schedule(100).at(100), "a constant rate");
        assertEquals(256, config.video().maxFrames());
        assertEquals(2.0, config.video().fps());
    }

    @Test
    void videoR2IsTheReferenceScriptsSettings() throws IOException {
        TrainingConfig config = load("video-r2");
        PolicyLossConfig loss = config.grpo().toLoss();
        assertEquals(8, config.rollout().groupSize());
        assertEquals(0.9, config.rollout().temperature());
        assertEquals(50, config.rollout().topK());
        assertEquals(1024, config.rollout().maxNewTokens());
        assertEquals(1e-4, config.grpo().epsilon());
        assertEquals(0.04, loss.klCoefficient());
        assertEquals(LossAggregation.SEQ_MEAN_TOKEN_MEAN, loss.aggregation());
        assertEquals(Double.POSITIVE_INFINITY, loss.dualClip());
        assertEquals(1, config.data().promptsPerStep());
        assertEquals(1e-6, config.optimizer().lr());
        assertTrue(config.optimizer().schedule(4804).at(4804) < 1e-9, "cosine to about 0 at the last step");
        assertEquals(32, config.video().maxFrames());
        assertTrue(config.video().burnClock());
        assertEquals("minilm", config.recipe().embedder());
    }

    @Test
    void videoR2sPresetRefusesToRunWithoutTheJudgeItsRewardNeeds() throws IOException {
        Path file = PRESETS.resolve("video-r2.yaml");
        try (Reader reader = Files.newBufferedReader(file)) {
            VideoRlException error = assertThrows(VideoRlException.class,
                    () -> TrainingConfigLoader.load(reader, file.toString(), List.of()));
            assertTrue(error.getMessage().contains("llm with a judge URL (--judge-url, recipe.judge_url)"), error.getMessage());
        }
    }

    @Test
    void videoP2RHoldsWhatThePaperPublishes() throws IOException {
        TrainingConfig config = load("videop2r");
        assertEquals(8, config.rollout().groupSize());
        assertEquals(16, config.video().maxFrames());
        assertEquals(1000, config.run().iterations());
    }
}
