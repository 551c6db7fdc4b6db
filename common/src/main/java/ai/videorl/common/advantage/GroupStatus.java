package ai.videorl.common.advantage;

/** Whether a group can teach the policy anything. */
public enum GroupStatus {
    /** At least one segment's rewards differ between rollouts. */
    INFORMATIVE,
    /** No rollouts at all (e.g. every rollout of the prompt was lost upstream). */
    EMPTY,
    /** One rollout: nothing to compare it with. */
    SINGLE,
    /** Every rollout got the same rewards: advantage 0 everywhere. */
    ZERO_VARIANCE;

    public boolean isDegenerate() {
        return this != INFORMATIVE;
    }
}
