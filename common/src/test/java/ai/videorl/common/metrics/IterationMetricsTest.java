package ai.videorl.common.metrics;

import ai.videorl.common.advantage.AdvantageBatch;
import ai.videorl.common.advantage.GroupStatus;
import ai.videorl.common.loss.LossResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IterationMetricsTest {

    @Test
    void recordsTheFrameworkNamesInOrder() {
        Map<String, Double> metrics = new IterationMetrics()
                .scores(new double[] {1, 2, 6})
                .tokenAdvantages(new double[] {-1, 1})
                .responseLengths(new int[] {10, 32, 32, 4}, new boolean[] {false, true, true, false})
                .rewardTerm("accuracy_final", new double[] {1, 0})
                .groups(new AdvantageBatch(List.of(), Map.of(GroupStatus.INFORMATIVE, 2, GroupStatus.ZERO_VARIANCE, 1,
                        GroupStatus.SINGLE, 1), 1))
                .loss(new LossResult(0.3, 0.25, 0.5, 1.5, 8, 2, 1, 0.8))
                .gradientNorm(2.5)
                .timing(MetricKeys.Stage.GENERATE, 1.5)
                .throughput(1000, 2, 2)
                .toMap();
        assertEquals(3.0, metrics.get("critic/score/mean"));
        assertEquals(6.0, metrics.get("critic/score/max"));
        assertEquals(1.0, metrics.get("critic/score/min"));
        assertEquals(0.0, metrics.get("critic/advantages/mean"));
        assertEquals(19.5, metrics.get("response_length/mean"));
        assertEquals(0.5, metrics.get("response_length/clip_ratio"));
        assertEquals(0.5, metrics.get("reward/accuracy_final/mean"));
        assertEquals(0.25, metrics.get("groups/zero_variance_fraction"));
        assertEquals(1.0, metrics.get("groups/single"));
        assertEquals(0.0, metrics.get("groups/empty"));
        assertEquals(1.0, metrics.get("groups/dropped"));
        assertEquals(4.0, metrics.get("groups/total"));
        assertEquals(0.25, metrics.get("actor/pg_loss"));
        assertEquals(0.25, metrics.get("actor/pg_clipfrac"));
        assertEquals(0.125, metrics.get("actor/pg_clipfrac_lower"));
        assertEquals(0.1, metrics.get("actor/ppo_kl"));
        assertEquals(1.5, metrics.get("actor/entropy"));
        assertEquals(0.5, metrics.get("actor/kl_loss"));
        assertEquals(2.5, metrics.get("actor/grad_norm"));
        assertEquals(1.5, metrics.get("timing_s/gen"));
        assertEquals(250.0, metrics.get("perf/throughput"));
        assertEquals("critic/score/mean", metrics.keySet().iterator().next());
    }

    @Test
    void refusesNonFiniteAndRepeatedMetrics() {
        assertThrows(IllegalArgumentException.class, () -> new IterationMetrics().put("x", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new IterationMetrics().put("x", 1).put("x", 2));
        assertThrows(IllegalArgumentException.class, () -> new IterationMetrics().throughput(10, 0, 1));
    }

    @Test
    void emptyInputsGiveZerosNotNaN() {
        Map<String, Double> metrics = new IterationMetrics().scores(new double[0]).responseLengths(new int[0], new boolean[0]).toMap();
        assertEquals(0.0, metrics.get("critic/score/mean"));
        assertEquals(0.0, metrics.get("response_length/clip_ratio"));
    }
}
