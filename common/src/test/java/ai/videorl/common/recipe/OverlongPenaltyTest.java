package ai.videorl.common.recipe;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.ProblemType;
import ai.videorl.common.reward.RewardTerms;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static ai.videorl.common.reward.RewardTerms.weight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OverlongPenaltyTest {

    /** Responses of up to 20 tokens, the last 8 of them penalised, down to −1. */
    private static final Recipe<?> SHAPED = OverlongPenalty.of(new VideoR2(), 20, 8, 1.0);

    /** A well-formed, right Video-R2 response of exactly {@code tokens} word-and-punctuation tokens. */
    private static String response(int tokens) {
        // "<think>", "</think>", "<answer>", "B", "</answer>": 5 tokens, then one per " x".
        return "<think>" + " x".repeat(tokens - 5) + "</think><answer>B</answer>";
    }

    @Test
    void penaltyIsLinearOverTheLastBufferTokensAsVerlsDapo() {
        OverlongPenalty<?> penalty = (OverlongPenalty<?>) SHAPED;
        assertEquals(0, penalty.penalty(5));
        assertEquals(0, penalty.penalty(12), "12 = 20 − 8: the buffer starts after it");
        assertEquals(-1.0 / 8, penalty.penalty(13), 1e-15);
        assertEquals(-0.5, penalty.penalty(16), 1e-15);
        assertEquals(-1.0, penalty.penalty(20), 1e-15);
        assertEquals(-1.0, ((OverlongPenalty<?>) OverlongPenalty.of(new VideoR2(), 20, 20, 1.0)).penalty(20), 1e-15);
        assertEquals(-0.25, ((OverlongPenalty<?>) OverlongPenalty.of(new VideoR2(), 20, 8, 0.5)).penalty(16), 1e-15);
    }

    @Test
    void theRewardJoinsTheTotalAndFlagsPenalisedResponses() {
        Map<String, Double> short_ = Fixtures.score(SHAPED, Fixtures.text(ProblemType.MULTIPLE_CHOICE, "B"), response(10));
        assertEquals(Map.of("format", 1.0, "accuracy", 1.0, OverlongPenalty.OVERLONG_REWARD, 0.0, OverlongPenalty.OVERLONG, 0.0,
                "total", 2.0), short_);
        Map<String, Double> long_ = Fixtures.score(SHAPED, Fixtures.text(ProblemType.MULTIPLE_CHOICE, "B"), response(18));
        assertEquals(-0.75, long_.get(OverlongPenalty.OVERLONG_REWARD), 1e-15);
        assertEquals(1.0, long_.get(OverlongPenalty.OVERLONG));
        assertEquals(2.0 - 0.75, long_.get("total"), 1e-15);
    }

    @Test
    void aSegmentedRecipeChargesEverySegmentForTheWholeResponsesLength() {
        Map<Segment, List<RewardTerms.Weight>> segments = OverlongPenalty.of(new VideoP2R(), 20, 8, 1.0).segmentRewards();
        for (Segment segment : List.of(Segment.PERCEPTION, Segment.REASONING)) {
            List<RewardTerms.Weight> expected = new ArrayList<>(new VideoP2R().segmentRewards().get(segment));
            expected.add(weight(OverlongPenalty.OVERLONG_REWARD, 1));
            assertEquals(expected, segments.get(segment), segment.toString());
        }
        assertEquals(List.of(weight(RewardTerms.TOTAL, 1)), SHAPED.segmentRewards().get(Segment.RESPONSE),
                "one segment: its reward is the total, which already holds the penalty");
    }

    @Test
    void aBufferOutsideTheResponseLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> OverlongPenalty.of(new VideoR2(), 20, 21, 1.0));
        assertThrows(IllegalArgumentException.class, () -> OverlongPenalty.of(new VideoR2(), 20, 0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> OverlongPenalty.of(new VideoR2(), 20, 8, -1));
    }
}
