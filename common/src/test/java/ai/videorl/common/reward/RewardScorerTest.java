package ai.videorl.common.reward;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.text.WordPunctTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ai.videorl.common.reward.RewardTerms.pointwise;
import static ai.videorl.common.reward.RewardTerms.weight;
import static ai.videorl.common.reward.RewardTerms.weightedSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardScorerTest {

    private static RewardInput<String> input(String completion) {
        return new RewardInput<>(Fixtures.text(ProblemType.EXACT_MATCH, "x"), completion, completion, null,
                WordPunctTokenizer.INSTANCE);
    }

    private static final RewardTerm<String> LENGTH = pointwise("length", (in, earlier) -> in.completion().length());
    private static final RewardTerm<String> DOUBLED = pointwise("doubled", List.of("length"),
            (in, earlier) -> 2 * earlier.get("length"));

    @Test
    void computesTermsInOrderAndTheWeightedTotal() {
        RewardScorer<String> scorer = new RewardScorer<>(List.of(LENGTH, DOUBLED,
                weightedSum("total", List.of(weight("length", 0.5), weight("doubled", 1)))));
        RewardTable table = scorer.score(List.of(input("ab"), input("abcd")));
        assertEquals(List.of("length", "doubled", "total"), scorer.termNames());
        assertArrayEquals(new double[] {4, 8}, table.column("doubled"));
        assertArrayEquals(new double[] {5, 10}, table.column("total"));
    }

    @Test
    void checksTheChainBeforeScoring() {
        assertConfigError("reads 'length'", () -> new RewardScorer<>(List.of(DOUBLED, LENGTH,
                weightedSum("total", List.of(weight("length", 1))))));
        assertConfigError("two reward terms are named 'length'", () -> new RewardScorer<>(List.of(LENGTH, LENGTH,
                weightedSum("total", List.of(weight("length", 1))))));
        assertConfigError("last reward term must be 'total'", () -> new RewardScorer<>(List.of(LENGTH)));
        assertConfigError("reads 'missing'", () -> new RewardScorer<String>(List.of(LENGTH,
                weightedSum("total", List.of(weight("missing", 1))))));
    }

    @Test
    void rejectsNonFiniteValuesNamingTheTermAndRollout() {
        RewardTerm<String> broken = pointwise("broken", (in, earlier) -> in.completion().isEmpty() ? Double.NaN : 1);
        RewardScorer<String> scorer = new RewardScorer<>(List.of(broken, weightedSum("total", List.of(weight("broken", 1)))));
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> scorer.score(List.of(input("a"), input(""))));
        assertTrue(error.getMessage().contains("'broken'") && error.getMessage().contains("rollout 1"), error.getMessage());
    }

    @Test
    void weightsMustBeFinite() {
        assertThrows(IllegalArgumentException.class, () -> weight("x", Double.POSITIVE_INFINITY));
    }

    private static void assertConfigError(String expected, org.junit.jupiter.api.function.Executable build) {
        VideoRlException error = assertThrows(VideoRlException.class, build);
        assertEquals(ErrorCode.INVALID_CONFIGURATION, error.code());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
