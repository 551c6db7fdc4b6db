package ai.videorl.common.loss;

import java.util.Objects;

/**
 * What the loss needs of one response, per response token (padding excluded), all arrays of the
 * same length.
 *
 * @param logProbs log-probabilities of the sampled tokens under the policy being trained
 * @param oldLogProbs the same under the policy that generated the rollout
 * @param referenceLogProbs the same under the frozen reference policy, or null without a KL term
 * @param advantages each token's advantage
 * @param entropies the policy's entropy at each position, or null without an entropy term
 */
public record SequenceTerms(double[] logProbs, double[] oldLogProbs, double[] referenceLogProbs, double[] advantages,
                            double[] entropies) {

    public SequenceTerms {
        Objects.requireNonNull(logProbs, "logProbs");
        int n = logProbs.length;
        requireLength("oldLogProbs", Objects.requireNonNull(oldLogProbs, "oldLogProbs"), n);
        requireLength("advantages", Objects.requireNonNull(advantages, "advantages"), n);
        if (referenceLogProbs != null) {
            requireLength("referenceLogProbs", referenceLogProbs, n);
        }
        if (entropies != null) {
            requireLength("entropies", entropies, n);
        }
    }

    public int length() {
        return logProbs.length;
    }

    private static void requireLength(String name, double[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values for " + expected + " tokens");
        }
    }
}
