package ai.videorl.common.advantage;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.Segment;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rewards of one prompt's rollouts (a group), per segment: one reward vector for
 * {@link Segment#RESPONSE} in a plain recipe, one each for perception and reasoning in VideoP2R's
 * process-aware setup. Every vector has one finite reward per rollout.
 *
 * @param promptId the prompt the rollouts answer; named in every error
 * @param rewards reward vectors by segment, all of the same length (the group size, possibly 0)
 */
public record RewardGroup(String promptId, Map<Segment, double[]> rewards) {

    public RewardGroup {
        Objects.requireNonNull(promptId, "promptId");
        if (rewards.isEmpty()) {
            throw VideoRlException.invalidInput("prompt '" + promptId + "': no reward segments");
        }
        Map<Segment, double[]> copy = new EnumMap<>(Segment.class);
        int size = -1;
        for (Map.Entry<Segment, double[]> entry : rewards.entrySet()) {
            double[] values = entry.getValue().clone();
            if (size >= 0 && values.length != size) {
                throw VideoRlException.invalidInput("prompt '" + promptId + "': segment " + entry.getKey() + " has "
                        + values.length + " rewards but another segment has " + size);
            }
            size = values.length;
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw VideoRlException.invalidInput("prompt '" + promptId + "': rollout " + i + " has the reward "
                            + values[i] + " for segment " + entry.getKey() + "; rewards must be finite");
                }
            }
            copy.put(entry.getKey(), values);
        }
        rewards = Collections.unmodifiableMap(copy);
    }

    /** A group rewarded on the whole response only. */
    public static RewardGroup of(String promptId, double... rewards) {
        return new RewardGroup(promptId, Map.of(Segment.RESPONSE, rewards));
    }

    /** Number of rollouts. */
    public int size() {
        return rewards.values().iterator().next().length;
    }

    /** A copy of one segment's rewards. */
    public double[] rewards(Segment segment) {
        double[] values = rewards.get(segment);
        if (values == null) {
            throw new IllegalArgumentException("prompt '" + promptId + "' has no rewards for segment " + segment);
        }
        return values.clone();
    }
}
