package ai.videorl.common.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Assigns weighted work items (prompts, weighted by their decode + generation cost) to a fixed
 * number of partitions so that the partitions carry similar work: longest processing time first
 * (each item, heaviest first, goes to the least loaded partition; within 4/3 of the optimum).
 * Ties break by item index, so a plan is deterministic.
 */
public final class PartitionPlan {

    private final int[] assignment;
    private final double[] loads;

    private PartitionPlan(int[] assignment, double[] loads) {
        this.assignment = assignment;
        this.loads = loads;
    }

    public static PartitionPlan balance(double[] weights, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("need at least one partition, got " + partitions);
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("item " + i + " has the weight " + weights[i] + "; weights must be finite and >= 0");
            }
        }
        Integer[] order = IntStream.range(0, weights.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -weights[i]).thenComparingInt(i -> i));
        double[] loads = new double[partitions];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.comparingDouble((Integer p) -> loads[p]).thenComparingInt(p -> p));
        for (int p = 0; p < partitions; p++) {
            lightest.add(p);
        }
        int[] assignment = new int[weights.length];
        for (int item : order) {
            int partition = lightest.poll();
            assignment[item] = partition;
            loads[partition] += weights[item];
            lightest.add(partition);
        }
        return new PartitionPlan(assignment, loads);
    }

    /** The partition of item {@code item}. */
    public int partitionOf(int item) {
        return assignment[item];
    }

    public int partitions() {
        return loads.length;
    }

    /** The total weight placed in each partition. */
    public double[] loads() {
        return loads.clone();
    }

    /** Heaviest partition load over the mean load; 1 is perfect balance. */
    public double imbalance() {
        double total = 0;
        double max = 0;
        for (double load : loads) {
            total += load;
            max = Math.max(max, load);
        }
        return total == 0 ? 1 : max / (total / loads.length);
    }
}
