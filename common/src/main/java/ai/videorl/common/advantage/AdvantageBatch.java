package ai.videorl.common.advantage;

import java.util.List;

/**
 * The advantages of an iteration's groups, with what was degenerate and what was dropped.
 *
 * @param groups the groups kept for the update, in input order
 * @param totalGroups groups received
 * @param degenerateGroups groups that were empty, single or zero-variance (kept with advantage 0, or dropped)
 * @param droppedGroups degenerate groups removed from the update (dynamic sampling)
 */
public record AdvantageBatch(List<GroupAdvantages> groups, int totalGroups, int degenerateGroups, int droppedGroups) {

    public AdvantageBatch {
        groups = List.copyOf(groups);
    }

    /** Fraction of the received groups that were degenerate; 0 for no groups. */
    public double degenerateFraction() {
        return totalGroups == 0 ? 0 : (double) degenerateGroups / totalGroups;
    }
}
