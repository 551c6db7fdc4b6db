package ai.videorl.common.reward;

import ai.videorl.common.grounding.ClaimExtractor;
import ai.videorl.common.grounding.Embedder;
import ai.videorl.common.grounding.TemporalAlignment;
import ai.videorl.common.judge.Judge;
import ai.videorl.common.judge.JudgeFailurePolicy;

import java.util.Objects;
import java.util.Optional;

/**
 * The models beside the policy that some reward terms call: a judge (VideoP2R's perception
 * reward, Video-R2's consistency gate) and a sentence embedder (Video-R2's temporal alignment).
 * A recipe adds those terms only when their services are configured.
 *
 * @param judge the judge, if any
 * @param embedder the embedder, if any
 * @param failurePolicy what an unavailable verdict (or a failed claim extraction) does
 * @param alignment the temporal alignment settings
 * @param claimExtractor how timestamped claims are read from reasoning
 */
public record RewardServices(Optional<Judge> judge, Optional<Embedder> embedder, JudgeFailurePolicy failurePolicy,
                             TemporalAlignment alignment, ClaimExtractor claimExtractor) {

    /** No services: only the terms that need none. */
    public static final RewardServices NONE = new RewardServices(Optional.empty(), Optional.empty(),
            JudgeFailurePolicy.SCORE_ZERO, TemporalAlignment.PAPER, ClaimExtractor.RULES);

    public RewardServices {
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        Objects.requireNonNull(alignment, "alignment");
        Objects.requireNonNull(claimExtractor, "claimExtractor");
    }

    public RewardServices withJudge(Judge service) {
        return new RewardServices(Optional.of(service), embedder, failurePolicy, alignment, claimExtractor);
    }

    public RewardServices withEmbedder(Embedder service) {
        return new RewardServices(judge, Optional.of(service), failurePolicy, alignment, claimExtractor);
    }

    public RewardServices withFailurePolicy(JudgeFailurePolicy policy) {
        return new RewardServices(judge, embedder, policy, alignment, claimExtractor);
    }

    public RewardServices withAlignment(TemporalAlignment settings) {
        return new RewardServices(judge, embedder, failurePolicy, settings, claimExtractor);
    }

    public RewardServices withClaimExtractor(ClaimExtractor extractor) {
        return new RewardServices(judge, embedder, failurePolicy, alignment, extractor);
    }
}
