package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.text.Span;
import ai.videorl.common.text.TokenOffsets;
import ai.videorl.common.text.WordPunctTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoP2RTest {

    private final VideoP2R recipe = new VideoP2R();
    private final Sample choiceB = Fixtures.text(ProblemType.MULTIPLE_CHOICE, "B", "A. red", "B. blue");

    private static String completion(int observationWords, int thinkWords, String answer) {
        return "<observation>" + "seen ".repeat(observationWords) + "</observation> <think>"
                + "so ".repeat(thinkWords) + "</think><answer>" + answer + "</answer>";
    }

    @Test
    void splitsIntoPerceptionAndReasoningSegmentsThatCoverTheCompletion() {
        String text = "<observation>Based on the question, I need to notice red.</observation> <think>so B</think><answer>B</answer>";
        VideoP2R.Parsed parsed = recipe.parse(text);
        assertTrue(parsed.perceptionWellFormed());
        assertTrue(parsed.reasoningWellFormed());
        assertEquals("Based on the question, I need to notice red.", parsed.observation());
        assertEquals("so B", parsed.think());
        assertEquals("B", parsed.finalAnswer());
        int boundary = text.indexOf(" <think>");
        assertEquals(new Span(0, boundary), parsed.perception());
        assertEquals(new Span(boundary, text.length()), parsed.reasoning());
        assertEquals(Map.of(Segment.PERCEPTION, parsed.perception(), Segment.REASONING, parsed.reasoning()), parsed.segments());
        assertEquals("Based on the question, I need to notice red.", parsed.observationSpan().of(text));
        assertEquals("so B", parsed.thinkSpan().of(text));
        assertEquals("B", parsed.answerSpan().of(text));
    }

    @Test
    void eachSegmentHasItsOwnFormat() {
        VideoP2R.Parsed noObservation = recipe.parse("<think>so</think><answer>B</answer>");
        assertFalse(noObservation.perceptionWellFormed());
        assertTrue(noObservation.reasoningWellFormed());
        assertEquals(Span.EMPTY, noObservation.perception());

        VideoP2R.Parsed badReasoning = recipe.parse("<observation>red</observation><think>so</think>B");
        assertTrue(badReasoning.perceptionWellFormed());
        assertFalse(badReasoning.reasoningWellFormed());
        assertEquals("", badReasoning.finalAnswer());

        assertFalse(recipe.parse("Look: <observation>red</observation><think>so</think><answer>B</answer>").perceptionWellFormed());
        assertFalse(recipe.parse("<observation>red<think></observation><think>so</think><answer>B</answer>").perceptionWellFormed());
        assertFalse(recipe.parse("<observation>r</observation><think>so</think><answer>a</answer><answer>b</answer>").reasoningWellFormed());
        assertFalse(recipe.parse("<observation>r</observation><answer>B</answer><think>so</think>").reasoningWellFormed());
    }

    @Test
    void accuracyOfReasoningUsesTheOptionLetter() {
        assertEquals(1.0, Fixtures.score(recipe, choiceB, completion(1, 1, "B. blue")).get("accuracy_reasoning"));
        assertEquals(1.0, Fixtures.score(recipe, choiceB, completion(1, 1, "blue")).get("accuracy_reasoning"));
        assertEquals(0.0, Fixtures.score(recipe, choiceB, completion(1, 1, "A")).get("accuracy_reasoning"));
    }

    @Test
    void lengthBonusNeedsFormatAccuracyAndTheTokenRange() {
        // WordPunctTokenizer makes every tag and word one token: reasoning = words + 4 tags + the answer.
        Map<String, Double> inRange = Fixtures.score(recipe, choiceB, completion(126, 400, "B"));
        assertEquals(0.2, inRange.get("length_reasoning"), 1e-12);
        assertEquals(1 + 1 + 1 + 0.2, inRange.get("total"), 1e-12);
        assertEquals(0.2, Fixtures.score(recipe, choiceB, completion(1, 315, "B")).get("length_reasoning"), 1e-12,
                "320 reasoning tokens is in range");
        assertEquals(0.0, Fixtures.score(recipe, choiceB, completion(1, 314, "B")).get("length_reasoning"), "319 tokens");
        assertEquals(0.2, Fixtures.score(recipe, choiceB, completion(1, 507, "B")).get("length_reasoning"), 1e-12,
                "512 reasoning tokens is in range");
        assertEquals(0.0, Fixtures.score(recipe, choiceB, completion(1, 508, "B")).get("length_reasoning"), "513 tokens");
        assertEquals(0.0, Fixtures.score(recipe, choiceB, completion(126, 400, "A")).get("length_reasoning"),
                "a wrong answer earns no length bonus");
    }

    @Test
    void withoutAJudgeThePerceptionLengthBonusIsNeverPaid() {
        // len_P needs acc_P, which only a judge gives: padding the observation to 128-320 tokens earns nothing.
        for (int words : new int[] {126, 200, 318}) {
            assertEquals(0.0, Fixtures.score(recipe, choiceB, completion(words, 400, "B")).get("length_perception"));
        }
    }

    @Test
    void givenTokenOffsetsDecideTheSegmentLengths() {
        String text = completion(1, 1, "B");
        VideoP2R.Parsed parsed = recipe.parse(text);
        // Pretend the policy's tokenizer made 1 token of the observation and 400 one-character tokens of the rest.
        int boundary = parsed.perception().end();
        int rest = text.length() - boundary;
        int[] starts = new int[401];
        int[] ends = new int[401];
        ends[0] = boundary;
        for (int i = 0; i < 400; i++) {
            starts[i + 1] = boundary + i * rest / 400;
            ends[i + 1] = boundary + (i + 1) * rest / 400;
        }
        RewardInput<VideoP2R.Parsed> input = new RewardInput<>(choiceB, text, parsed,
                TokenOffsets.of(starts, ends, text.length()), WordPunctTokenizer.INSTANCE);
        RewardTable table = new RewardScorer<>(recipe.terms()).score(List.of(input));
        assertEquals(0.2, table.get(0, "length_reasoning"), 1e-12, "400 given tokens, not the 6 WordPunctTokenizer counts");
    }

    @Test
    void segmentRewardsAddUpToTheTotal() {
        Map<String, Double> rewards = Fixtures.score(recipe, choiceB, completion(126, 400, "B"));
        double sum = 0;
        for (List<ai.videorl.common.reward.RewardTerms.Weight> weights : recipe.segmentRewards().values()) {
            for (ai.videorl.common.reward.RewardTerms.Weight weight : weights) {
                sum += weight.weight() * rewards.get(weight.term());
            }
        }
        assertEquals(rewards.get("total"), sum, 1e-12);
    }

    @Test
    void termsAreNamedAsTheScoreCommandDocumentsThem() {
        assertEquals(List.of("format_perception", "format_reasoning", "accuracy_reasoning", "length_perception",
                "length_reasoning", "total"), recipe.terms().stream().map(ai.videorl.common.reward.RewardTerm::name).toList());
    }
}
