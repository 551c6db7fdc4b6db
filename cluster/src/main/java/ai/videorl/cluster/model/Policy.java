package ai.videorl.cluster.model;

import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.loss.PolicyLossConfig;

/**
 * A trainable video-language policy on one device: what every stage asks of a model, whatever its
 * architecture ({@link PolicyArchitecture}). Inputs come from the architecture's
 * {@link PolicyProcessor}; responses are token ids as the processor writes them
 * ({@link PolicyProcessor#responseTargets}). Calls are serialised, so an executor's tasks can share
 * one instance.
 */
public interface Policy extends AutoCloseable {

    /**
     * Decodes a batch with a key-value cache. Every random draw of row {@code b} comes from its own
     * generator seeded with {@code seeds[b]}, so a re-run of the same batch reproduces its tokens.
     */
    Generation generate(PolicyInputs inputs, DecodingConfig decoding, long[] seeds, StopRule stop);

    /**
     * Log-probabilities and entropies of {@code responses} (teacher forcing, no gradient) under
     * softmax(logits / temperature): old and reference log-probabilities of rollouts are taken at
     * the temperature they were sampled at ({@link DecodingConfig#scoringTemperature}).
     */
    TokenScores score(PolicyInputs inputs, int[][] responses, double temperature);

    /** {@link #score} at temperature 1. */
    default TokenScores score(PolicyInputs inputs, int[][] responses) {
        return score(inputs, responses, 1);
    }

    /** The GRPO loss's gradient on this shard of the batch. */
    Gradient policyGradient(PolicyInputs inputs, int[][] responses, PolicyTargets targets, PolicyLossConfig loss, BatchShape batch);

    /** Cross-entropy of reference responses (the SFT warm start), token-mean over the batch. */
    Gradient supervisedGradient(PolicyInputs inputs, int[][] responses, BatchShape batch);

    /** The trainable weights, labelled {@code version}: the tensors, in order, that a {@link Gradient} covers. */
    TrainableWeights trainableWeights(long version);

    /** Replaces the trainable weights (the driver's optimizer step); names and shapes must match. */
    void loadTrainableWeights(TrainableWeights weights);

    @Override
    void close();

    /**
     * Generated responses.
     *
     * @param tokens each response's tokens, as the policy drew them up to its end (the tiny policy's END
     *        and padding excluded; a stop token or a stop rule's last token included)
     * @param logProbs each token's log-probability under the policy at the decoding's scoring temperature (no
     *        filters), as {@link #score} gives it at that temperature
     * @param entropies the policy's entropy at each position, at the same temperature
     * @param finished whether the response ended (an end token or the stop rule) rather than hit the length limit
     */
    record Generation(int[][] tokens, double[][] logProbs, double[][] entropies, boolean[] finished) {
    }

    /**
     * Log-probabilities and entropies of given responses, per response token.
     *
     * @param logProbs [B][R_b] log-probability of each response token under this policy
     * @param entropies [B][R_b] entropy of this policy's distribution at each response position
     */
    record TokenScores(double[][] logProbs, double[][] entropies) {
    }

    /**
     * What the GRPO loss needs besides the policy's own log-probabilities, per response token.
     *
     * @param oldLogProbs [B][R_b] under the policy that generated the rollouts
     * @param referenceLogProbs [B][R_b] under the reference policy, or null without a KL term
     * @param advantages [B][R_b] per-token advantages
     * @param temperature what the old and reference log-probabilities were taken at; the policy's own
     *        (and its entropies) are taken at the same, so the ratio and the KL compare like with like
     */
    record PolicyTargets(double[][] oldLogProbs, double[][] referenceLogProbs, double[][] advantages, double temperature) {

        public PolicyTargets {
            if (!(temperature > 0 && Double.isFinite(temperature))) {
                throw new IllegalArgumentException("the scoring temperature must be positive, got " + temperature);
            }
        }
    }

    /**
     * A gradient as one flat vector over the trainable weights in {@link #trainableWeights} order,
     * with the loss it came from: the shard's exact share of the batch's, ready to be summed over
     * executors.
     */
    record Gradient(float[] values, LossResult loss) {
    }
}
