package ai.videorl.common.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionPlanTest {

    @Test
    void placesHeaviestFirstOnTheLightestPartition() {
        PartitionPlan plan = PartitionPlan.balance(new double[] {5, 4, 3, 3, 2, 1}, 2);
        // 5 -> p0, 4 -> p1, 3 -> p1 (7), 3 -> p0 (8), 2 -> p1 (9), 1 -> p0 (9).
        assertArrayEquals(new double[] {9, 9}, plan.loads());
        assertEquals(0, plan.partitionOf(0));
        assertEquals(1, plan.partitionOf(1));
        assertEquals(1.0, plan.imbalance(), 1e-12);
    }

    @Test
    void skewedWeightsStillBalanceWellUnlikeRoundRobin() {
        Random random = new Random(3);
        double[] weights = new double[1000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble() < 0.1 ? 30 + random.nextInt(60) : 1 + random.nextInt(8);
        }
        PartitionPlan plan = PartitionPlan.balance(weights, 16);
        assertTrue(plan.imbalance() < 1.02, "imbalance " + plan.imbalance());
        double[] roundRobin = new double[16];
        for (int i = 0; i < weights.length; i++) {
            roundRobin[i % 16] += weights[i];
        }
        double max = 0;
        double total = 0;
        for (double load : roundRobin) {
            max = Math.max(max, load);
            total += load;
        }
        assertTrue(max / (total / 16) > plan.imbalance(), "the plan beats round robin");
    }

    @Test
    void isDeterministicAndHandlesEdgeCases() {
        double[] weights = {1, 1, 1, 1, 1};
        assertArrayEquals(PartitionPlan.balance(weights, 3).loads(), PartitionPlan.balance(weights, 3).loads());
        assertEquals(3, PartitionPlan.balance(new double[0], 3).partitions());
        assertEquals(1.0, PartitionPlan.balance(new double[0], 3).imbalance());
        assertThrows(IllegalArgumentException.class, () -> PartitionPlan.balance(new double[] {1, Double.NaN}, 2));
        assertThrows(IllegalArgumentException.class, () -> PartitionPlan.balance(new double[] {1}, 0));
    }
}
