package ai.videorl.common.advantage;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The advantages of an iteration's groups, with how many groups were of each status and how many
 * were dropped.
 *
 * @param groups the groups kept for the update, in input order
 * @param statuses groups received, by status (every status present, possibly 0)
 * @param droppedGroups degenerate groups removed from the update (dynamic sampling)
 */
public record AdvantageBatch(List<GroupAdvantages> groups, Map<GroupStatus, Integer> statuses, int droppedGroups) {

    public AdvantageBatch {
        groups = List.copyOf(groups);
        Map<GroupStatus, Integer> complete = new EnumMap<>(GroupStatus.class);
        for (GroupStatus status : GroupStatus.values()) {
            complete.put(status, statuses.getOrDefault(status, 0));
        }
        statuses = Collections.unmodifiableMap(complete);
    }

    /** Groups received. */
    public int totalGroups() {
        return statuses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Groups of a status. */
    public int count(GroupStatus status) {
        return statuses.get(status);
    }

    /** Groups that were empty, single or zero-variance. */
    public int degenerateGroups() {
        return totalGroups() - count(GroupStatus.INFORMATIVE);
    }

    /** Fraction of the received groups that were degenerate; 0 for no groups. */
    public double degenerateFraction() {
        return fraction(degenerateGroups());
    }

    /** Fraction of the received groups whose rollouts all got the same rewards; 0 for no groups. */
    public double zeroVarianceFraction() {
        return fraction(count(GroupStatus.ZERO_VARIANCE));
    }

    private double fraction(int groupCount) {
        int total = totalGroups();
        return total == 0 ? 0 : (double) groupCount / total;
    }
}
