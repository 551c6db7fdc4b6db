package ai.videorl.cluster.train;

/** Column names of the rollout table ({@code RUN_DIR/rollouts/}), beside the sample's own (SampleRows). */
public final class RolloutColumns {

    public static final String ITERATION = "iteration";
    public static final String SAMPLE_INDEX = "sample_index";
    public static final String WEIGHT_VERSION = "weight_version";
    /** Response token ids, END included when the policy ended the response. */
    public static final String RESPONSE_IDS = "response_ids";
    public static final String RESPONSE = "response";
    public static final String RESPONSE_LENGTH = "response_length";
    /** Whether the response ended with END rather than at the token limit. */
    public static final String FINISHED = "finished";
    /** Per-token log-probabilities under the policy that generated the response. */
    public static final String LOG_PROBS = "log_probs";
    /** Per-token log-probabilities under the frozen reference policy; null without a KL term. */
    public static final String REFERENCE_LOG_PROBS = "ref_log_probs";
    public static final String ENTROPY = "entropy";
    /** Reward columns are this prefix and the term's name; {@code reward_total} is the weighted sum. */
    public static final String REWARD_PREFIX = "reward_";
    public static final String TOTAL = REWARD_PREFIX + "total";
    /** The recipe-independent task accuracy of the final answer, in [0, 1] (TaskMetrics.forType). */
    public static final String ACCURACY = "accuracy";
    /** True when a judged term could not be scored and the failure policy drops the rollout. */
    public static final String DROPPED = "dropped";
    /** The reward terms that got no verdict for the rollout (its judge was unreachable, say) and scored 0 there. */
    public static final String UNAVAILABLE = "unavailable_terms";
    /** Each segment's token span: segment name to [start, end). */
    public static final String SEGMENT_SPANS = "segment_spans";
    public static final String ADVANTAGES = "advantages";
    public static final String GROUP_STATUS = "group_status";

    private RolloutColumns() {
    }

    public static String reward(String term) {
        return REWARD_PREFIX + term;
    }
}
