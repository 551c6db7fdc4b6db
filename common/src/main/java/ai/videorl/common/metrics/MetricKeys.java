package ai.videorl.common.metrics;

/**
 * Per-iteration metric names, spelled as the dashboards of the open RL frameworks know them.
 * Statistics come as {@code NAME/mean}, {@code NAME/max}, {@code NAME/min}.
 */
public final class MetricKeys {

    /** Total reward of each rollout. */
    public static final String SCORE = "critic/score";
    /** Advantage of each response token. */
    public static final String ADVANTAGES = "critic/advantages";
    /** Response tokens of each rollout. */
    public static final String RESPONSE_LENGTH = "response_length";
    /** Fraction of responses cut off at the maximum length. */
    public static final String RESPONSE_CLIP_RATIO = "response_length/clip_ratio";

    public static final String PG_LOSS = "actor/pg_loss";
    public static final String PG_CLIPFRAC = "actor/pg_clipfrac";
    public static final String PG_CLIPFRAC_LOWER = "actor/pg_clipfrac_lower";
    public static final String PPO_KL = "actor/ppo_kl";
    public static final String ENTROPY = "actor/entropy";
    public static final String KL_LOSS = "actor/kl_loss";
    public static final String GRAD_NORM = "actor/grad_norm";
    /** The learning rate of the iteration's last optimizer step. */
    public static final String LEARNING_RATE = "actor/lr";

    /** Fraction of groups of two or more rollouts that all got the same rewards. */
    public static final String ZERO_VARIANCE_GROUP_FRACTION = "groups/zero_variance_fraction";
    /** Groups of a single rollout (nothing to compare it with). */
    public static final String SINGLE_GROUPS = "groups/single";
    /** Groups without rollouts. */
    public static final String EMPTY_GROUPS = "groups/empty";
    /** Degenerate groups dropped from the update by dynamic sampling. */
    public static final String DROPPED_GROUPS = "groups/dropped";
    /** Groups received. */
    public static final String GROUPS = "groups/total";

    /** Tokens processed (prompts and responses) per second of step time, per worker. */
    public static final String THROUGHPUT = "perf/throughput";

    /** Rollouts generated per second of the generation stage. */
    public static final String ROLLOUTS_PER_SECOND = "perf/rollouts_per_s";

    /** Mean task accuracy of the iteration's final answers (recipe-independent, in [0, 1]). */
    public static final String ACCURACY = "accuracy/mean";

    /** Prefix of each reward term's mean: {@code reward/accuracy_final/mean}. */
    public static final String REWARD_PREFIX = "reward/";
    /** Prefix of each stage's wall time: {@code timing_s/gen}. */
    public static final String TIMING_PREFIX = "timing_s/";

    /** The stages of one iteration, timed as {@code timing_s/STAGE}. */
    public static final class Stage {
        public static final String GENERATE = "gen";
        public static final String REWARD = "reward";
        public static final String REFERENCE = "ref";
        public static final String OLD_LOG_PROB = "old_log_prob";
        public static final String ADVANTAGE = "adv";
        public static final String UPDATE_ACTOR = "update_actor";
        public static final String UPDATE_WEIGHTS = "update_weights";
        public static final String STEP = "step";
        /** Writing the iteration's rollouts to the run's table. */
        public static final String STORE = "store";

        private Stage() {
        }
    }

    private MetricKeys() {
    }

    public static String mean(String name) {
        return name + "/mean";
    }

    public static String max(String name) {
        return name + "/max";
    }

    public static String min(String name) {
        return name + "/min";
    }

    public static String rewardMean(String term) {
        return REWARD_PREFIX + term + "/mean";
    }

    public static String timing(String stage) {
        return TIMING_PREFIX + stage;
    }
}
