package ai.videorl.common;

import ai.videorl.common.data.Interval;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.Solution;
import ai.videorl.common.recipe.ParsedCompletion;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.text.WordPunctTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples and one-call scoring for tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Sample text(ProblemType type, String solution, String... options) {
        return new Sample("s", "", type, Arrays.asList(options), new Solution.Text(solution));
    }

    public static Sample segments(double... bounds) {
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            intervals.add(new Interval(bounds[i], bounds[i + 1]));
        }
        return new Sample("s", "", ProblemType.TEMPORAL_GROUNDING, List.of(), new Solution.Segments(intervals));
    }

    public static Sample grounded(String answer, double start, double end) {
        return new Sample("s", "", ProblemType.GROUNDED_QA, List.of(),
                new Solution.Grounded(answer, new Interval(start, end)));
    }

    /** Every term of {@code recipe} for one completion, by name, in column order. */
    public static Map<String, Double> score(Recipe<?> recipe, Sample sample, String completion) {
        return scoreTyped(recipe, sample, completion);
    }

    private static <P extends ParsedCompletion> Map<String, Double> scoreTyped(Recipe<P> recipe, Sample sample, String completion) {
        RewardInput<P> input = new RewardInput<>(sample, completion, recipe.parse(completion), null, WordPunctTokenizer.INSTANCE);
        RewardTable table = new RewardScorer<>(recipe.terms()).score(List.of(input));
        Map<String, Double> values = new LinkedHashMap<>();
        for (String name : table.names()) {
            values.put(name, table.get(0, name));
        }
        return values;
    }
}
