package ai.videorl.common.optim;

import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenHoldsThePeakWithoutDecay() {
        LearningRateSchedule schedule = new LearningRateSchedule(2e-3, 4, 10, LearningRateSchedule.Decay.NONE);
        assertEquals(0.5e-3, schedule.at(1), 1e-15);
        assertEquals(2e-3, schedule.at(4), 1e-15);
        assertEquals(2e-3, schedule.at(5), 1e-15);
        assertEquals(2e-3, schedule.at(10), 1e-15);
    }

    @Test
    void linearDecayFallsByEqualStepsToOneStepsWorthAtTheEnd() {
        LearningRateSchedule schedule = new LearningRateSchedule(1.0, 2, 6, LearningRateSchedule.Decay.LINEAR);
        assertEquals(1.0, schedule.at(2), 1e-12);
        assertEquals(1.0, schedule.at(3), 1e-12);
        assertEquals(0.75, schedule.at(4), 1e-12);
        assertEquals(0.5, schedule.at(5), 1e-12);
        assertEquals(0.25, schedule.at(6), 1e-12);
    }

    @Test
    void cosineDecayStartsAtThePeakAndEndsAboveZero() {
        LearningRateSchedule schedule = new LearningRateSchedule(1.0, 0, 100, LearningRateSchedule.Decay.COSINE);
        assertEquals(1.0, schedule.at(1), 1e-12);
        assertEquals(0.5, schedule.at(51), 0.02);
        double previous = 2;
        for (int step = 1; step <= 100; step++) {
            assertTrue(schedule.at(step) < previous, "step " + step);
            previous = schedule.at(step);
        }
        assertTrue(previous > 0 && previous < 1e-3, "last step " + previous);
    }

    @Test
    void unknownDecaysAreRejectedNamingTheChoices() {
        VideoRlException error = assertThrows(VideoRlException.class, () -> LearningRateSchedule.Decay.parse("exponential"));
        assertTrue(error.getMessage().contains("none, linear or cosine"), error.getMessage());
        assertEquals(LearningRateSchedule.Decay.COSINE, LearningRateSchedule.Decay.parse(" Cosine"));
    }
}
