package ai.videorl.common.loss;

import java.util.List;
import java.util.Objects;

/**
 * The GRPO actor loss over a batch of responses: the clipped surrogate per token
 * ({@link ClippedSurrogate}; with GSPO each token takes its sequence's ratio), plus β times the KL to the reference ({@link KlEstimator}), minus the
 * entropy coefficient times the entropy, each aggregated with the configured
 * {@link LossAggregation} weights of the global {@link BatchShape}.
 */
public final class PolicyLoss {

    private final PolicyLossConfig config;

    public PolicyLoss(PolicyLossConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public PolicyLossConfig config() {
        return config;
    }

    /**
     * @param sequences this shard's responses
     * @param batch the shape of the whole batch the shard belongs to
     * @throws IllegalArgumentException when β > 0 and a sequence lacks reference log-probabilities
     */
    public LossResult evaluate(List<SequenceTerms> sequences, BatchShape batch) {
        double pgLoss = 0;
        double klLoss = 0;
        double entropy = 0;
        long tokens = 0;
        long clipped = 0;
        long dualClipped = 0;
        double negativeLogRatio = 0;
        boolean withKl = config.klCoefficient() > 0;
        for (int s = 0; s < sequences.size(); s++) {
            SequenceTerms sequence = sequences.get(s);
            if (withKl && sequence.referenceLogProbs() == null) {
                throw new IllegalArgumentException("sequence " + s + " has no reference log-probabilities but kl_coef is "
                        + config.klCoefficient());
            }
            double weight = config.aggregation().tokenWeight(sequence.length(), batch);
            double sequenceLogRatio = config.mode() == PolicyLossMode.GSPO ? meanLogRatio(sequence) : 0;
            for (int t = 0; t < sequence.length(); t++) {
                double logProb = sequence.logProbs()[t];
                double oldLogProb = sequence.oldLogProbs()[t];
                double advantage = sequence.advantages()[t];
                ClippedSurrogate.Token token = switch (config.mode()) {
                    case VANILLA -> ClippedSurrogate.evaluate(logProb, oldLogProb, advantage, config);
                    case GSPO -> ClippedSurrogate.sequenceLevel(sequenceLogRatio, logProb - oldLogProb, advantage, config);
                };
                pgLoss += weight * token.loss();
                clipped += token.clipped() ? 1 : 0;
                dualClipped += token.dualClipped() ? 1 : 0;
                negativeLogRatio -= token.logRatio();
                if (withKl) {
                    klLoss += weight * config.klEstimator().value(sequence.logProbs()[t], sequence.referenceLogProbs()[t]);
                }
                if (sequence.entropies() != null) {
                    entropy += weight * sequence.entropies()[t];
                }
            }
            tokens += sequence.length();
        }
        double loss = pgLoss + config.klCoefficient() * klLoss - config.entropyCoefficient() * entropy;
        return new LossResult(loss, pgLoss, klLoss, entropy, tokens, clipped, dualClipped, negativeLogRatio);
    }

    /** GSPO's log sequence ratio: the mean over the sequence's tokens of {@code logp − old_logp}. */
    private static double meanLogRatio(SequenceTerms sequence) {
        double sum = 0;
        for (int t = 0; t < sequence.length(); t++) {
            sum += sequence.logProbs()[t] - sequence.oldLogProbs()[t];
        }
        return sequence.length() == 0 ? 0 : sum / sequence.length();
    }
}
