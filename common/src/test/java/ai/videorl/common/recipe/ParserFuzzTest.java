package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and adversarial completions never make a recipe throw, give only finite rewards in
 * their documented ranges, and stay linear-time (the timeouts only guard against a hang from
 * catastrophic backtracking; speed is measured by the benchmarks).
 */
class ParserFuzzTest {

    private static final String[] PIECES = {
        "<think>", "</think>", "<answer>", "</answer>", "<observation>", "</observation>", "\\boxed{", "{", "}", "[",
        "]", "(", ")", "<>", "<", ">", "/", "\\", "0", "7", "12.5", ".", ",", "-", " to ", " and ", "–", " ", "\n", "\t",
        "A", "b", "yes", "No", "red", "Let's analyze", "\\frac{1}{2}", "\u0000", "\u0007", "\u202e", "é", "😀", "\uD800",
        "ＡＢ", "00:03", "01:02:03-01:02:09",
    };

    private static final List<Sample> SAMPLES = List.of(
            Fixtures.text(ProblemType.MULTIPLE_CHOICE, "B", "A. red", "B. blue"),
            Fixtures.text(ProblemType.NUMERICAL, "12"),
            Fixtures.text(ProblemType.REGRESSION, "7.5"),
            Fixtures.text(ProblemType.OCR, "stop here now"),
            Fixtures.text(ProblemType.FREE_FORM, "the red square moves left"),
            Fixtures.text(ProblemType.EXACT_MATCH, "yes"),
            Fixtures.text(ProblemType.MATH, "\\frac{1}{2}"),
            Fixtures.segments(2, 6, 8, 9),
            Fixtures.grounded("red", 1, 3));

    @Test
    void randomCompletionsScoreWithinRange() {
        Random random = new Random(20261124);
        for (Recipe<?> recipe : List.of(new VideoAutoR1(), new VideoP2R(), new VideoR2())) {
            for (int i = 0; i < 3000; i++) {
                StringBuilder text = new StringBuilder();
                int pieces = random.nextInt(40);
                for (int p = 0; p < pieces; p++) {
                    text.append(PIECES[random.nextInt(PIECES.length)]);
                }
                Sample sample = SAMPLES.get(random.nextInt(SAMPLES.size()));
                assertInRange(recipe, sample, text.toString());
            }
        }
    }

    @Test
    void wellFormedSkeletonsWithRandomContentScoreWithinRange() {
        Random random = new Random(7);
        List<String> skeletons = List.of("\\boxed{%s}<think>%s</think>\\boxed{%s}",
                "<observation>%s</observation> <think>%s</think><answer>%s</answer>", "<think>%s</think><answer>%s</answer>%s");
        for (Recipe<?> recipe : List.of(new VideoAutoR1(), new VideoP2R(), new VideoR2())) {
            for (int i = 0; i < 3000; i++) {
                String skeleton = skeletons.get(random.nextInt(skeletons.size()));
                String text = String.format(skeleton, piece(random), piece(random), piece(random));
                assertInRange(recipe, SAMPLES.get(random.nextInt(SAMPLES.size())), text);
            }
        }
    }

    @Test
    void megabyteCompletionsScoreWithoutHanging() {
        int size = 1 << 20;
        List<String> adversarial = List.of(
                repeat("\\boxed{", size), repeat("{", size), repeat("\\boxed{a{b}", size), repeat("<think>", size),
                repeat("</think>", size), repeat("<observation>", size), repeat("<answer>", size),
                repeat("1.", size), repeat("1 - ", size), repeat("a ", size), repeat("9", size),
                "\\boxed{B}<think>" + repeat("x", size) + "</think>\\boxed{" + repeat("y ", size) + "}",
                "<observation>" + repeat("seen ", size) + "</observation><think>" + repeat("so ", size)
                        + "</think><answer>" + repeat("the red square ", size) + "</answer>",
                "<think>" + repeat("<think>", size) + "</think><answer>" + repeat("1,", size) + "</answer>");
        for (Recipe<?> recipe : List.of(new VideoAutoR1(), new VideoP2R(), new VideoR2())) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (String text : adversarial) {
                    for (Sample sample : SAMPLES) {
                        assertInRange(recipe, sample, text);
                    }
                }
            }, recipe.name());
        }
    }

    private static String piece(Random random) {
        StringBuilder text = new StringBuilder();
        for (int p = random.nextInt(6); p > 0; p--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static String repeat(String unit, int size) {
        return unit.repeat(Math.max(1, size / unit.length()));
    }

    private static void assertInRange(Recipe<?> recipe, Sample sample, String completion) {
        Map<String, Double> rewards = Fixtures.score(recipe, sample, completion);
        double sum = 0;
        for (Map.Entry<String, Double> term : rewards.entrySet()) {
            double value = term.getValue();
            String name = term.getKey();
            boolean groundedSum = recipe instanceof VideoAutoR1 && sample.problemType() == ProblemType.GROUNDED_QA
                    && name.startsWith("accuracy");
            double max = name.equals("total") ? Double.MAX_VALUE : name.startsWith("length") ? 0.2 : groundedSum ? 2 : 1;
            assertTrue(value >= 0 && value <= max, () -> recipe.name() + " " + name + " = " + value + " for "
                    + abbreviate(completion));
            if (name.startsWith("format") || name.equals("fallback")) {
                assertTrue(value == 0 || value == 1, name);
            }
            sum += value;
        }
        assertTrue(Double.isFinite(sum));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
