package ai.videorl.common.metric;

import ai.videorl.common.Fixtures;
import ai.videorl.common.data.Interval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IntervalParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"[2.5, 7]", "(2.5, 7)", "2.5 - 7", "2.5-7", "2.5 – 7", "2.5—7", "2.5 to 7", "2.5 TO 7",
        "2.5 and 7", "from 2.5 to 7 seconds", "[7, 2.5]", "The event happens in [ 2.5 ,7 ].", "2.5 to 7 and 8 to 9",
        "2.5\u00a0-\u00a07", "2.5\u3000to\u30007"})
    void findsTheFirstInterval(String text) {
        assertEquals(new Interval(2.5, 7), IntervalParser.first(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no numbers", "2.5", "2.5 until 7", "1.2.3 - 4.5.6", "2.5s - 7s", "[.5, 7]", "5. to 7",
        "2.5 , , 7", "-", "2.5to7", "2.5 to7", "2.5and 7", "2.5 AND7"})
    void findsNothingWhereThereIsNoInterval(String text) {
        assertNull(IntervalParser.first(text));
    }

    @Test
    void numbersGluedToDotsOrDigitsAreNotNumbers() {
        assertNull(IntervalParser.first("1.2.3 to 5"));
        assertEquals(new Interval(4, 5), IntervalParser.first("1.2.3 4 to 5"));
    }

    @Test
    void digitsOfAnyScriptAreDigitsAsPythonsAre() {
        assertEquals(new Interval(3, 5), IntervalParser.first("\u0663-\u0665"));
        assertEquals(new Interval(1.5, 12), IntervalParser.first("\uff11.\uff15 to \uff11\uff12"));
    }

    @Test
    void hugeNumbersAreSkippedNotThrown() {
        assertNull(IntervalParser.first("9".repeat(400) + " to 1"));
    }

    @Test
    void allReadsEveryIntervalOnce() {
        assertEquals(List.of(new Interval(1, 2), new Interval(3, 4)), IntervalParser.all("[1, 2] and then [4, 3]"));
        assertEquals(List.of(new Interval(1, 2)), IntervalParser.all("1 to 2 to 3"));
    }

    @Test
    void iouIsTheBestOverTheTrueIntervalsAndZeroForAPoint() {
        assertEquals(0.5, TaskMetrics.TEMPORAL_IOU.score("[2, 4]", Fixtures.segments(2, 6)), 1e-12);
        assertEquals(1.0, TaskMetrics.TEMPORAL_IOU.score("[2, 4]", Fixtures.segments(10, 20, 2, 4)), 1e-12);
        assertEquals(0.0, TaskMetrics.TEMPORAL_IOU.score("[3, 3]", Fixtures.segments(2, 6)), "zero-length prediction");
        assertEquals(0.0, TaskMetrics.TEMPORAL_IOU.score("[7, 9]", Fixtures.segments(2, 6)), "disjoint");
        assertEquals(0.5, TaskMetrics.TEMPORAL_IOU.score("4 to 2", Fixtures.segments(2, 6)), 1e-12, "reversed");
        assertEquals(0.0, TaskMetrics.TEMPORAL_IOU.score("soon", Fixtures.segments(2, 6)));
    }

    @Test
    void groundedAnswersScoreExactMatchPlusIouOrItsHalf() {
        // "Red" matches "red" (1) and [4, 6] covers half of [2, 6] (0.5).
        assertEquals(1.5, TaskMetrics.GROUNDED_SUM.score("Red <> [4, 6]", Fixtures.grounded("red", 2, 6)), 1e-12);
        assertEquals(0.75, TaskMetrics.GROUNDED_MEAN.score("Red <> [4, 6]", Fixtures.grounded("red", 2, 6)), 1e-12);
        assertEquals(0.5, TaskMetrics.GROUNDED_MEAN.score("blue <> [2, 6]", Fixtures.grounded("red", 2, 6)), 1e-12);
        assertEquals(0.5, TaskMetrics.GROUNDED_MEAN.score("red <> soon", Fixtures.grounded("red", 2, 6)), 1e-12);
        // As VideoAuto-R1's reward reads it: without a <>, the whole text is both the answer and the segment's text.
        assertEquals(0.5, TaskMetrics.GROUNDED_MEAN.score("red [2, 6]", Fixtures.grounded("red", 2, 6)), 1e-12, "no separator");
        assertEquals(1.0, TaskMetrics.GROUNDED_SUM.score("[2, 6]", Fixtures.grounded("red", 2, 6)), 1e-12, "an interval alone");
        assertEquals(1.0, TaskMetrics.GROUNDED_SUM.score("red", Fixtures.grounded("red", 2, 6)), 1e-12, "an answer alone");
        assertEquals(2.0, TaskMetrics.GROUNDED_SUM.score("red <> [1, 2] <> [2, 6]", Fixtures.grounded("red", 2, 6)), 1e-12,
                "the segment after the last <>");
    }
}
