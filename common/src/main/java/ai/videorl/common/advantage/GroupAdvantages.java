package ai.videorl.common.advantage;

import ai.videorl.common.recipe.Segment;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The advantages of one group, per segment and rollout.
 *
 * @param promptId the group's prompt
 * @param advantages one vector per segment, one value per rollout
 * @param status whether the group carries a learning signal; degenerate groups have all-zero advantages
 */
public record GroupAdvantages(String promptId, Map<Segment, double[]> advantages, GroupStatus status) {

    public GroupAdvantages {
        Map<Segment, double[]> copy = new EnumMap<>(Segment.class);
        advantages.forEach((segment, values) -> copy.put(segment, values.clone()));
        advantages = Collections.unmodifiableMap(copy);
    }

    /** A copy of one segment's advantages. */
    public double[] advantages(Segment segment) {
        double[] values = advantages.get(segment);
        if (values == null) {
            throw new IllegalArgumentException("prompt '" + promptId + "' has no advantages for segment " + segment);
        }
        return values.clone();
    }

    /** Rollout {@code rollout}'s advantage for each segment. */
    public Map<Segment, Double> ofRollout(int rollout) {
        Map<Segment, Double> values = new EnumMap<>(Segment.class);
        advantages.forEach((segment, vector) -> values.put(segment, vector[rollout]));
        return values;
    }
}
