package ai.videorl.common.recipe;

import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import ai.videorl.common.grounding.LexicalEmbedder;
import ai.videorl.common.judge.JudgeFailurePolicy;
import ai.videorl.common.judge.RuleJudge;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardServices;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.text.WordPunctTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terms that call services, with real (rule-based and lexical) services. */
class JudgedTermsTest {

    private static final RewardServices SERVICES = RewardServices.NONE.withJudge(new RuleJudge())
            .withEmbedder(new LexicalEmbedder(256));

    private static Sample sample(List<String> facts) {
        return new Sample("s", "v.mp4", "Which colour appeared first?", ProblemType.MULTIPLE_CHOICE, List.of("A. blue", "B. red"),
                new Solution.Text("B"), Map.of("00:01-00:03", "a red square is visible"), facts, OptionalDouble.empty());
    }

    private static <P extends ParsedCompletion> RewardTable score(Recipe<P> recipe, Sample sample, String... completions) {
        List<RewardInput<P>> batch = new ArrayList<>();
        for (String completion : completions) {
            batch.add(new RewardInput<>(sample, completion, recipe.parse(completion), null, WordPunctTokenizer.INSTANCE));
        }
        return new RewardScorer<>(recipe.terms()).score(batch);
    }

    @Test
    void videoP2RAsksTheJudgeAboutTheObservationOnly() {
        VideoP2R recipe = new VideoP2R(SERVICES);
        assertEquals(List.of("format_perception", "format_reasoning", "accuracy_reasoning", "accuracy_perception",
                "length_perception", "length_reasoning", "total"), recipe.terms().stream().map(RewardTerm::name).toList());
        RewardTable table = score(recipe, sample(List.of("red square", "first")),
                "<observation>Based on the question, I need to notice the red square, which comes first.</observation>"
                        + "<think>so B</think><answer>B</answer>",
                "<observation>Something moves.</observation><think>so B</think><answer>B</answer>",
                "no observation at all <think>so B</think><answer>B</answer>");
        assertEquals(1.0, table.get(0, "accuracy_perception"));
        assertEquals(4.0, table.get(0, "total"), 1e-12, "1 + 1 perception, 1 + 1 reasoning");
        assertEquals(0.0, table.get(1, "accuracy_perception"), "the facts are missing from the observation");
        assertEquals(0.0, table.get(2, "accuracy_perception"), "nothing to judge, no call");
        assertEquals(Map.of(), table.dropped());
    }

    @Test
    void anUnavailableVerdictScoresZeroAndIsCountedOrDropsTheRollout() {
        String completion = "<observation>A red square.</observation><think>so B</think><answer>B</answer>";
        RewardTable zero = score(new VideoP2R(SERVICES), sample(List.of()), completion);
        assertEquals(0.0, zero.get(0, "accuracy_perception"));
        assertEquals(Map.of("accuracy_perception", 1), zero.unavailableCounts());
        assertEquals(Map.of(), zero.dropped());

        RewardTable dropped = score(new VideoP2R(SERVICES.withFailurePolicy(JudgeFailurePolicy.DROP_ROLLOUT)), sample(List.of()),
                completion);
        assertEquals(1, dropped.dropped().size());
        assertTrue(dropped.dropped().get(0).startsWith("accuracy_perception: the sample has no facts"), dropped.dropped().get(0));
    }

    @Test
    void videoR2GatesTemporalAlignmentOnConsistency() {
        VideoR2 recipe = new VideoR2(SERVICES);
        assertEquals(List.of("format", "accuracy", "tar", "consistency", "tar_gated", "total"),
                recipe.terms().stream().map(RewardTerm::name).toList());
        RewardTable table = score(recipe, sample(List.of()),
                "<think>At 00:01-00:03 a red square is visible. So the answer is B.</think><answer>B</answer>",
                "<think>At 00:01-00:03 a red square is visible. So the answer is A.</think><answer>B</answer>",
                "<think>At 00:30 a car drives by. So the answer is B.</think><answer>B</answer>");
        assertEquals(1.0, table.get(0, "tar"));
        assertEquals(1.0, table.get(0, "consistency"));
        assertEquals(3.0, table.get(0, "total"), 1e-12);
        assertEquals(1.0, table.get(1, "tar"));
        assertEquals(0.0, table.get(1, "tar_gated"), "reasoning that concludes A does not support the answer B");
        assertEquals(0.0, table.get(2, "tar"), "the claim matches no ground-truth claim");
    }

    @Test
    void withoutServicesTheRecipesKeepTheirPlainTerms() {
        assertEquals(List.of("format", "accuracy", "total"), Recipes.create("video-r2").terms().stream().map(RewardTerm::name).toList());
        assertEquals(List.of("format", "accuracy", "total"),
                Recipes.create("video-r2", RewardServices.NONE.withJudge(new RuleJudge())).terms().stream()
                        .map(RewardTerm::name).toList(), "the gate needs the embedder too");
    }
}
