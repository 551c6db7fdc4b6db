package ai.videorl.common.advantage;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.recipe.Segment;
import ai.videorl.common.text.Span;
import ai.videorl.common.text.TokenOffsets;
import ai.videorl.common.util.Registry;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdvantageCalculatorTest {

    private static double[] advantages(String estimator, double epsilon, double... rewards) {
        return new AdvantageCalculator(AdvantageEstimators.create(estimator, epsilon), false)
                .compute(RewardGroup.of("p", rewards)).advantages(Segment.RESPONSE);
    }

    @Test
    void grpoDividesByTheUnbiasedStdPlusEpsilon() {
        // mean 2, unbiased std sqrt((1 + 0 + 1) / 2) = 1.
        assertArrayEquals(new double[] {-1, 0, 1}, advantages("grpo", 0, 1, 2, 3), 1e-15);
        assertArrayEquals(new double[] {-1 / 1.0001, 0, 1 / 1.0001}, advantages("grpo", 1e-4, 1, 2, 3), 1e-15);
        // mean 0.5, std sqrt(4 · 0.25 / 3) = sqrt(1/3).
        double a = 0.5 / (Math.sqrt(1.0 / 3) + 1e-6);
        assertArrayEquals(new double[] {a, -a, -a, a}, advantages("grpo", GroupNormalized.DEFAULT_EPSILON, 1, 0, 0, 1), 1e-12);
    }

    @Test
    void drGrpoOnlyCentres() {
        assertArrayEquals(new double[] {-2, -1, 0, 3}, advantages("dr_grpo", 1e-6, 1, 2, 3, 6), 1e-15);
    }

    @Test
    void rlooSubtractsTheMeanOfTheOthers() {
        // 1 − (2+3)/2, 2 − (1+3)/2, 3 − (1+2)/2.
        assertArrayEquals(new double[] {-1.5, 0, 1.5}, advantages("rloo", 1e-6, 1, 2, 3), 1e-15);
        assertArrayEquals(new double[] {1, -1}, advantages("rloo", 1e-6, 1, 0), 1e-15);
    }

    @Test
    void degenerateGroupsGetExactlyZeroAndAreReported() {
        AdvantageCalculator calculator = new AdvantageCalculator(new GroupNormalized(1e-6), false);
        GroupAdvantages equal = calculator.compute(RewardGroup.of("equal", 0.1, 0.1, 0.1));
        assertEquals(GroupStatus.ZERO_VARIANCE, equal.status());
        assertArrayEquals(new double[] {0, 0, 0}, equal.advantages(Segment.RESPONSE));
        assertEquals(GroupStatus.SINGLE, calculator.compute(RewardGroup.of("one", 5)).status());
        assertArrayEquals(new double[] {0}, calculator.compute(RewardGroup.of("one", 5)).advantages(Segment.RESPONSE));
        assertEquals(GroupStatus.EMPTY, calculator.compute(RewardGroup.of("none")).status());
        assertEquals(0, calculator.compute(RewardGroup.of("none")).advantages(Segment.RESPONSE).length);

        AdvantageBatch batch = calculator.compute(List.of(RewardGroup.of("a", 1, 0), RewardGroup.of("b", 1, 1),
                RewardGroup.of("c", 2), RewardGroup.of("d")));
        assertEquals(4, batch.groups().size());
        assertEquals(3, batch.degenerateGroups());
        assertEquals(0, batch.droppedGroups());
        assertEquals(0.75, batch.degenerateFraction());
        assertEquals(Map.of(GroupStatus.INFORMATIVE, 1, GroupStatus.ZERO_VARIANCE, 1, GroupStatus.SINGLE, 1,
                GroupStatus.EMPTY, 1), batch.statuses());
        assertEquals(0.25, batch.zeroVarianceFraction());
    }

    @Test
    void dynamicSamplingDropsDegenerateGroupsAndCountsThem() {
        AdvantageBatch batch = new AdvantageCalculator(new LeaveOneOut(), true).compute(List.of(
                RewardGroup.of("a", 1, 0), RewardGroup.of("b", 1, 1), RewardGroup.of("c", 0, 0.5)));
        assertEquals(List.of("a", "c"), batch.groups().stream().map(GroupAdvantages::promptId).toList());
        assertEquals(3, batch.totalGroups());
        assertEquals(1, batch.droppedGroups());
        assertEquals(1.0 / 3, batch.degenerateFraction(), 1e-15);
        assertEquals(0, new AdvantageCalculator(new LeaveOneOut(), true).compute(List.of()).degenerateFraction());
    }

    @Test
    void processAwareNormalisesEachSegmentSeparately() {
        RewardGroup group = new RewardGroup("p", Map.of(
                Segment.PERCEPTION, new double[] {1, 0, 1, 0},
                Segment.REASONING, new double[] {2.2, 2.2, 2.2, 2.2}));
        GroupAdvantages advantages = new AdvantageCalculator(new GroupNormalized(0), false).compute(group);
        double a = 0.5 / Math.sqrt(1.0 / 3);
        assertArrayEquals(new double[] {a, -a, a, -a}, advantages.advantages(Segment.PERCEPTION), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0}, advantages.advantages(Segment.REASONING), "no variance in R");
        assertEquals(GroupStatus.INFORMATIVE, advantages.status());

        // Rollout 0: its perception tokens [0, 3) get A_P, its reasoning tokens [3, 5) get A_R.
        double[] perToken = TokenAdvantages.expand(advantages.ofRollout(0),
                Map.of(Segment.PERCEPTION, new Span(0, 3), Segment.REASONING, new Span(3, 5)), 5);
        assertArrayEquals(new double[] {a, a, a, 0, 0}, perToken, 1e-12);
    }

    @Test
    void aResponseOfEndAloneGetsOneAdvantageInEveryRecipe() {
        // END sampled first: the text is empty, every segment [0, 0), and END is the one token.
        TokenOffsets endOnly = TokenOffsets.of(new int[] {0}, new int[] {0}, 0);
        for (String name : Recipes.names()) {
            Map<Segment, Span> characters = Recipes.create(name).parse("").segments();
            Map<Segment, Double> advantages = new EnumMap<>(Segment.class);
            characters.keySet().forEach(segment -> advantages.put(segment, segment.ordinal() + 0.5));
            double[] perToken = TokenAdvantages.expand(advantages, endOnly.tokenSpans(characters), 1);
            Segment first = characters.keySet().iterator().next();
            assertArrayEquals(new double[] {first.ordinal() + 0.5}, perToken, name);
        }
    }

    @Test
    void tokenExpansionRefusesGapsAndOverlaps() {
        Map<Segment, Double> advantages = Map.of(Segment.PERCEPTION, 1.0, Segment.REASONING, -1.0);
        assertThrows(IllegalArgumentException.class, () -> TokenAdvantages.expand(advantages,
                Map.of(Segment.PERCEPTION, new Span(0, 2), Segment.REASONING, new Span(3, 5)), 5));
        assertThrows(IllegalArgumentException.class, () -> TokenAdvantages.expand(advantages,
                Map.of(Segment.PERCEPTION, new Span(0, 3), Segment.REASONING, new Span(2, 5)), 5));
        assertThrows(IllegalArgumentException.class, () -> TokenAdvantages.expand(advantages,
                Map.of(Segment.PERCEPTION, new Span(0, 6)), 5));
        assertThrows(IllegalArgumentException.class, () -> TokenAdvantages.expand(Map.of(Segment.PERCEPTION, 1.0),
                Map.of(Segment.PERCEPTION, new Span(0, 3), Segment.REASONING, new Span(3, 5)), 5));
    }

    @Test
    void nonFiniteRewardsAreRejectedNamingThePrompt() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            VideoRlException error = assertThrows(VideoRlException.class, () -> RewardGroup.of("video-17/q2", 1, bad));
            assertEquals(ErrorCode.INVALID_INPUT, error.code());
            assertTrue(error.getMessage().contains("'video-17/q2'") && error.getMessage().contains("rollout 1"),
                    error.getMessage());
        }
        VideoRlException mismatch = assertThrows(VideoRlException.class, () -> new RewardGroup("p", Map.of(
                Segment.PERCEPTION, new double[] {1, 0}, Segment.REASONING, new double[] {1})));
        assertTrue(mismatch.getMessage().contains("'p'"), mismatch.getMessage());
    }

    @Test
    void inputArraysAreCopied() {
        double[] rewards = {1, 2, 3};
        RewardGroup group = RewardGroup.of("p", rewards);
        rewards[0] = 100;
        assertArrayEquals(new double[] {1, 2, 3}, group.rewards(Segment.RESPONSE));
    }

    @Test
    void registryBuildsByNameAndRefusesUnknownOrDuplicateNames() {
        assertEquals(List.of("grpo", "dr_grpo", "rloo"), List.copyOf(AdvantageEstimators.names()));
        for (String name : AdvantageEstimators.names()) {
            assertEquals(name, AdvantageEstimators.create(name, 1e-6).name());
        }
        VideoRlException unknown = assertThrows(VideoRlException.class, () -> AdvantageEstimators.create("gae", 1e-6));
        assertTrue(unknown.getMessage().contains("[grpo, dr_grpo, rloo]"), unknown.getMessage());
        DoubleFunction<AdvantageEstimator> factory = GroupNormalized::new;
        assertThrows(IllegalStateException.class,
                () -> Registry.of("advantage estimator", Map.entry("x", factory), Map.entry("x", factory)));
        assertThrows(IllegalArgumentException.class, () -> new GroupNormalized(-1));
        assertThrows(IllegalArgumentException.class, () -> new GroupNormalized(Double.NaN));
    }
}
