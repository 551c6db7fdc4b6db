package ai.videorl.common.advantage;

import ai.videorl.common.recipe.Segment;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes group advantages with an {@link AdvantageEstimator}, applied to each segment's
 * rewards separately. With one segment (the whole response, rewarded with the total) this is
 * plain GRPO/RLOO/Dr. GRPO; with VideoP2R's perception and reasoning segments it is the paper's
 * process-aware advantage: {@code A_{i,k} = (R_{i,k} − mean_j R_{j,k}) / std_j R_{j,k}}, each
 * applied later to its own segment's tokens.
 *
 * <p>Degenerate cases are settled here, the same for every estimator: an empty group, a group of
 * one, or a segment whose rewards are all equal gets advantage exactly 0 (no floating-point
 * residue from {@code r − mean}). A group is degenerate when no segment varies. With
 * {@code dropDegenerateGroups} (DAPO's dynamic sampling) degenerate groups leave the batch; the
 * caller may top it up with more prompts.
 */
public final class AdvantageCalculator {

    private final AdvantageEstimator estimator;
    private final boolean dropDegenerateGroups;

    public AdvantageCalculator(AdvantageEstimator estimator, boolean dropDegenerateGroups) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.dropDegenerateGroups = dropDegenerateGroups;
    }

    public AdvantageBatch compute(List<RewardGroup> groups) {
        List<GroupAdvantages> kept = new ArrayList<>(groups.size());
        Map<GroupStatus, Integer> statuses = new EnumMap<>(GroupStatus.class);
        int dropped = 0;
        for (RewardGroup group : groups) {
            GroupAdvantages advantages = compute(group);
            statuses.merge(advantages.status(), 1, Integer::sum);
            if (advantages.status().isDegenerate() && dropDegenerateGroups) {
                dropped++;
            } else {
                kept.add(advantages);
            }
        }
        return new AdvantageBatch(kept, statuses, dropped);
    }

    public GroupAdvantages compute(RewardGroup group) {
        int size = group.size();
        Map<Segment, double[]> advantages = new EnumMap<>(Segment.class);
        boolean anyVaries = false;
        for (Map.Entry<Segment, double[]> entry : group.rewards().entrySet()) {
            double[] rewards = entry.getValue();
            boolean varies = size >= 2 && !GroupStatistics.allEqual(rewards);
            advantages.put(entry.getKey(), varies ? estimator.estimate(rewards) : new double[size]);
            anyVaries |= varies;
        }
        GroupStatus status = size == 0 ? GroupStatus.EMPTY
                : size == 1 ? GroupStatus.SINGLE
                : anyVaries ? GroupStatus.INFORMATIVE : GroupStatus.ZERO_VARIANCE;
        return new GroupAdvantages(group.promptId(), advantages, status);
    }
}
