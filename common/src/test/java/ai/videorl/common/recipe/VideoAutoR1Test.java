package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoAutoR1Test {

    private final VideoAutoR1 recipe = new VideoAutoR1();
    private final Sample choiceB = Fixtures.text(ProblemType.MULTIPLE_CHOICE, "B");

    @Test
    void extractsBothAnswersAndTheirSpans() {
        String text = "\\boxed{B}<think>red came first</think>\\boxed{ C }";
        VideoAutoR1.Parsed parsed = recipe.parse(text);
        assertEquals("B", parsed.firstAnswer());
        assertEquals("B", parsed.firstAnswerSpan().of(text));
        assertEquals("C", parsed.finalAnswer());
        assertEquals(" C ", parsed.finalAnswerSpan().of(text));
        assertTrue(parsed.wellFormed());
        assertEquals(Map.of(Segment.RESPONSE, new ai.videorl.common.text.Span(0, text.length())), parsed.segments());
    }

    @Test
    void oneLevelOfNestedBracesIsAllowedInsideABox() {
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{\\frac{1}{2}}<think>x</think>\\boxed{a{b}c{d}}");
        assertEquals("\\frac{1}{2}", parsed.firstAnswer());
        assertEquals("a{b}c{d}", parsed.finalAnswer());
        assertTrue(parsed.wellFormed());
    }

    @Test
    void twoLevelsOfNestingIsNoBox() {
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{\\frac{\\sqrt{2}}{2}}<think>x</think>\\boxed{1}");
        assertEquals("", parsed.firstAnswer());
        assertNull(parsed.firstAnswerSpan());
        assertEquals("1", parsed.finalAnswer());
        assertFalse(parsed.wellFormed());
    }

    @Test
    void severalBoxesInAPartMeanNoAnswerThere() {
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{A} \\boxed{B}<think>x</think>\\boxed{B}\\boxed{B}");
        assertEquals("", parsed.firstAnswer());
        assertEquals("", parsed.finalAnswer());
        assertFalse(parsed.wellFormed());
        Map<String, Double> rewards = Fixtures.score(recipe, choiceB, "\\boxed{A} \\boxed{B}<think>x</think>\\boxed{B}\\boxed{B}");
        assertEquals(0.0, rewards.get("total"));
    }

    @Test
    void firstAnswerComesFromBeforeTheFirstThinkAndFinalFromAfterTheLastClose() {
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{A}<think>\\boxed{C}</think><think>y</think>\\boxed{B}");
        assertEquals("A", parsed.firstAnswer());
        assertEquals("B", parsed.finalAnswer());
        assertFalse(parsed.wellFormed(), "two think pairs");
    }

    @Test
    void withoutThinkTheWholeTextAnswersTwice() {
        // As the reference splits: before the first <think> and after the last </think>, the whole text when missing.
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{B}");
        assertEquals("B", parsed.firstAnswer());
        assertEquals("B", parsed.finalAnswer());
        assertFalse(parsed.wellFormed());
        assertEquals("B", recipe.parse("\\boxed{B}<think>cut off").finalAnswer(), "no </think>: the whole text's only box");
        assertEquals("", recipe.parse("\\boxed{A}<think>x \\boxed{B}").finalAnswer(), "two boxes in the whole text");
        // "\boxed{yes}" alone: 0.9 + 1.1 for both answers, no format.
        assertEquals(2.0, Fixtures.score(recipe, Fixtures.text(ProblemType.EXACT_MATCH, "yes"), "\\boxed{yes}").get("total"), 1e-12);
    }

    @Test
    void unclosedBoxIsSkippedAndTheScanGoesOn() {
        VideoAutoR1.Parsed parsed = recipe.parse("\\boxed{A \\boxed{B}<think>x</think>\\boxed{B}");
        // The first box never closes before <think>; the scan moves on and finds "\boxed{B}" as the only box.
        assertEquals("B", parsed.firstAnswer());
        assertFalse(parsed.wellFormed());
    }

    @Test
    void formatAcceptsWhitespaceBetweenPartsAndAnEmptyOrBlankThink() {
        assertTrue(VideoAutoR1.isWellFormed("  \\boxed{B}\n<think>\n</think>\n\\boxed{B}\n"));
        assertTrue(VideoAutoR1.isWellFormed("\\boxed{B}<think></think>\\boxed{B}"));
    }

    @Test
    void formatRejectsAnyOtherText() {
        assertFalse(VideoAutoR1.isWellFormed("Answer: \\boxed{B}<think>x</think>\\boxed{B}"));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{B} so <think>x</think>\\boxed{B}"));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{B}<think>x</think>\\boxed{B}."));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{B}<think>x<think>y</think>\\boxed{B}"));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{B}<think>x</think>"));
        assertFalse(VideoAutoR1.isWellFormed("<think>x</think>\\boxed{B}"));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{B}<think>x</think></think>\\boxed{B}"));
        assertFalse(VideoAutoR1.isWellFormed(""));
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{a}<think>x</think>\\boxed{<think>}"), "a tag inside the last box");
        assertFalse(VideoAutoR1.isWellFormed("\\boxed{</think>}<think>x</think>\\boxed{b}"), "a tag inside the first box");
    }

    @Test
    void totalWeighsFirstAnswerFinalAnswerFormatAndFallback() {
        assertEquals(Map.of("format", 1.0, "accuracy_first", 1.0, "accuracy_final", 1.0, "fallback", 0.0, "total", 3.0),
                Fixtures.score(recipe, choiceB, "\\boxed{B}<think>x</think>\\boxed{B}"));
        // Wrong first answer corrected after thinking: 1.1 + 1.0.
        assertEquals(2.1, Fixtures.score(recipe, choiceB, "\\boxed{A}<think>x</think>\\boxed{B}").get("total"), 1e-12);
        // Right first answer spoiled after thinking: 0.9 + 1.0.
        assertEquals(1.9, Fixtures.score(recipe, choiceB, "\\boxed{B}<think>x</think>\\boxed{A}").get("total"), 1e-12);
    }

    @Test
    void fallbackPaysOnlyWhenTheFinalAnswerIsGoodEnough() {
        String fallback = "\\boxed{" + VideoAutoR1.FALLBACK_PHRASE + "}<think>x</think>\\boxed{";
        Map<String, Double> right = Fixtures.score(recipe, choiceB, fallback + "B}");
        assertEquals(1.0, right.get("fallback"));
        assertEquals(0.0, right.get("accuracy_first"));
        assertEquals(1.1 + 1.0 + 0.3, right.get("total"), 1e-12);
        assertEquals(0.0, Fixtures.score(recipe, choiceB, fallback + "A}").get("fallback"));

        // IoU 0.6 is not above 0.7; IoU 0.8 is.
        Sample grounding = Fixtures.segments(0, 10);
        assertEquals(0.0, Fixtures.score(recipe, grounding, fallback + "[0, 6]}").get("fallback"));
        assertEquals(1.0, Fixtures.score(recipe, grounding, fallback + "[0, 8]}").get("fallback"));
    }

    @Test
    void fallbackNeedsThePhraseAtTheStartOfTheFirstAnswer() {
        assertTrue(recipe.parse("\\boxed{Let's analyze it}<think>x</think>\\boxed{B}").fellBack());
        assertFalse(recipe.parse("\\boxed{I think Let's analyze}<think>x</think>\\boxed{B}").fellBack());
        assertFalse(recipe.parse("\\boxed{let's analyze}<think>x</think>\\boxed{B}").fellBack());
    }

    @Test
    void multipleChoiceUsesExactMatchSoAPeriodMatters() {
        assertEquals(0.0, Fixtures.score(recipe, choiceB, "\\boxed{B.}<think>x</think>\\boxed{B. blue}").get("accuracy_first"));
        assertEquals(1.0, Fixtures.score(recipe, choiceB, "\\boxed{(B)}<think>x</think>\\boxed{b}").get("accuracy_first"));
    }

    @Test
    void groundedQaSumsExactMatchAndIou() {
        Sample sample = Fixtures.grounded("red", 2, 6);
        Map<String, Double> rewards = Fixtures.score(recipe, sample, "\\boxed{red <> [2, 6]}<think>x</think>\\boxed{Red <> [4, 6]}");
        assertEquals(2.0, rewards.get("accuracy_first"), 1e-12);
        assertEquals(1.5, rewards.get("accuracy_final"), 1e-12);
        // Without <>, the whole answer is both the text matched and the segment's text: "red [2, 6]" is not "red".
        assertEquals(1.0, Fixtures.score(recipe, sample, "\\boxed{red [2, 6]}<think>x</think>\\boxed{x}").get("accuracy_first"),
                1e-12, "no <> separator");
    }

    @Test
    void termsAreNamedAsTheScoreCommandDocumentsThem() {
        assertEquals(List.of("format", "accuracy_first", "accuracy_final", "fallback", "total"),
                recipe.terms().stream().map(ai.videorl.common.reward.RewardTerm::name).toList());
    }
}
