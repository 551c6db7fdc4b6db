package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoR2Test {

    private final VideoR2 recipe = new VideoR2();

    @Test
    void formatIsAFullMatchOfThinkThenAnswer() {
        assertTrue(recipe.parse("<think>at 00:03 red</think>\n<answer>B</answer>").wellFormed());
        assertTrue(recipe.parse("<think></think><answer></answer>").wellFormed());
        assertFalse(recipe.parse("So <think>x</think><answer>B</answer>").wellFormed());
        assertFalse(recipe.parse("<think>x</think><answer>B</answer> done").wellFormed());
        assertFalse(recipe.parse("<think>x</think>").wellFormed());
        // re.fullmatch on the raw text: no whitespace around the blocks, and the lazy blocks may hold tags.
        assertFalse(recipe.parse(" <think>x</think><answer>B</answer>").wellFormed());
        assertFalse(recipe.parse("<think>x</think><answer>B</answer>\n").wellFormed());
        assertTrue(recipe.parse("<think>x</think>\u00a0\u3000<answer>B</answer>").wellFormed(), "Python's \\s between");
        assertTrue(recipe.parse("<think>x<answer>A</answer></think><answer>B</answer>").wellFormed());
        assertTrue(recipe.parse("<think>x</think><answer>A</answer><answer>B</answer>").wellFormed());
        assertTrue(recipe.parse("<think>a</think>y</think><answer>b</answer>").wellFormed());
        assertFalse(recipe.parse("<think>a</think>y<answer>b</answer>").wellFormed(), "text between the blocks");
    }

    @Test
    void extractsThinkAndTheFirstAnswer() {
        String text = "<think> at 00:03 red </think><answer> B </answer><answer>C</answer>";
        VideoR2.Parsed parsed = recipe.parse(text);
        assertEquals("at 00:03 red", parsed.think());
        assertEquals("B", parsed.finalAnswer());
        assertEquals(" at 00:03 red ", parsed.thinkSpan().of(text));
        assertEquals(" B ", parsed.answerSpan().of(text));
        assertEquals(null, recipe.parse("no tags").thinkSpan());
    }

    @Test
    void totalIsAccuracyPlusFormat() {
        assertEquals(Map.of("format", 1.0, "accuracy", 1.0, "total", 2.0), Fixtures.score(recipe,
                Fixtures.text(ProblemType.MULTIPLE_CHOICE, "C"), "<think>x</think><answer>C) red</answer>"));
        // The reference reads a choice from the answer's first character: "(C)" is not C.
        assertEquals(Map.of("format", 1.0, "accuracy", 0.0, "total", 1.0), Fixtures.score(recipe,
                Fixtures.text(ProblemType.MULTIPLE_CHOICE, "C"), "<think>x</think><answer>(C)</answer>"));
        assertEquals(Map.of("format", 0.0, "accuracy", 1.0, "total", 1.0), Fixtures.score(recipe,
                Fixtures.text(ProblemType.MULTIPLE_CHOICE, "C"), "<think>x</think>\n<answer>C</answer> extra"));
    }

    @Test
    void numericalNeedsTheSameDecimalStyleThenTwoDecimals() {
        String truth = "3";
        assertEquals(1.0, accuracy(ProblemType.NUMERICAL, truth, "3"));
        assertEquals(0.0, accuracy(ProblemType.NUMERICAL, truth, "3.0"), "one side has a decimal point");
        assertEquals(1.0, accuracy(ProblemType.NUMERICAL, "1,234", "1234.001"), "comma counts as decimal style");
        assertEquals(0.0, accuracy(ProblemType.NUMERICAL, "1,234", "1234"));
        assertEquals(1.0, accuracy(ProblemType.NUMERICAL, "2.50", "2.5"));
        assertEquals(0.0, accuracy(ProblemType.NUMERICAL, "2.50", "2.6"));
    }

    @Test
    void problemTypeComesFromTheDataNotFromTheAnswerSpelling() {
        // The reference treats any answer starting with a-e as multiple choice; a free-form
        // answer "apple pie" must be scored with ROUGE, a numeric "a" never as a letter.
        assertEquals(1.0, accuracy(ProblemType.FREE_FORM, "apple pie", "apple pie"), 1e-12);
        assertEquals(0.0, accuracy(ProblemType.FREE_FORM, "apple pie", "a"));
        assertEquals(0.0, accuracy(ProblemType.NUMERICAL, "1", "a"));
    }

    @Test
    void ocrAndRegressionAndFreeForm() {
        assertEquals(0.5, accuracy(ProblemType.OCR, "stop here now please", "stop here"), 1e-12);
        assertEquals(1 - (1 + 1e-9) / (10 + 1e-9), accuracy(ProblemType.REGRESSION, "10", "11"), 1e-15);
        assertEquals(0.0, accuracy(ProblemType.REGRESSION, "10", "25"));
    }

    @Test
    void termsAreNamedAsTheScoreCommandDocumentsThem() {
        assertEquals(List.of("format", "accuracy", "total"),
                recipe.terms().stream().map(ai.videorl.common.reward.RewardTerm::name).toList());
    }

    private double accuracy(ProblemType type, String truth, String answer) {
        return Fixtures.score(recipe, Fixtures.text(type, truth), "<think>x</think><answer>" + answer + "</answer>").get("accuracy");
    }
}
