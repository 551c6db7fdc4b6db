package ai.videorl.cluster.model;

import ai.videorl.common.text.VocabularyTokenizer;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Draws one row's next token from its logits: temperature, then top-k, then top-p, from the
 * row's own seeded generator (one uniform number per step, so a re-run draws the same tokens).
 * Only tokens the vocabulary's rule lets through are ever drawn (the tiny policy's: no special
 * token but END; a pretrained model's: any). Reports the token's log-probability and the
 * entropy of the unfiltered distribution at the scoring temperature
 * ({@link DecodingConfig#scoringTemperature}), the distribution training scores.
 */
public final class TokenSampler {

    /** The tiny policy's rule: END, and no other special token. */
    public static final IntPredicate TINY_VOCABULARY = token -> token == VocabularyTokenizer.END || token > VocabularyTokenizer.UNKNOWN;

    /** Every token may be drawn. */
    public static final IntPredicate ANY_TOKEN = token -> true;

    private final DecodingConfig decoding;
    private final SplittableRandom random;
    private final IntPredicate drawable;

    public TokenSampler(DecodingConfig decoding, long seed, IntPredicate drawable) {
        this.decoding = decoding;
        this.random = new SplittableRandom(seed);
        this.drawable = drawable;
    }

    /** A drawn token, its log-probability and the entropy of the distribution it came from. */
    public record Draw(int token, double logProb, double entropy) {
    }

    public Draw draw(float[] logits, int offset, int vocabulary) {
        double[] logProbs = logSoftmax(logits, offset, vocabulary, decoding.scoringTemperature());
        double entropy = 0;
        for (double logProb : logProbs) {
            entropy -= logProb == Double.NEGATIVE_INFINITY ? 0 : Math.exp(logProb) * logProb;
        }
        int token = decoding.temperature() == 0 ? mostLikely(logProbs) : sample(logProbs);
        return new Draw(token, logProbs[token], entropy);
    }

    /** A draw from {@code logProbs}, the distribution at the sampling temperature, after top-k and top-p. */
    private int sample(double[] logProbs) {
        int vocabulary = logProbs.length;
        double[] probabilities = new double[vocabulary];
        double drawableMass = 0;
        for (int v = 0; v < vocabulary; v++) {
            probabilities[v] = drawable.test(v) ? Math.exp(logProbs[v]) : 0;
            drawableMass += probabilities[v];
        }
        if (!(drawableMass > 0)) {
            return mostLikely(logProbs); // every drawable token's probability underflows
        }
        boolean filtered = decoding.topK() > 0 && decoding.topK() < vocabulary || decoding.topP() < 1;
        if (!filtered) {
            // Nothing to cut: draw straight from the distribution, without sorting the vocabulary for every token.
            return drawInOrder(probabilities, drawableMass);
        }
        // Over the tokens that may be drawn: top-p's mass must not count special tokens' share.
        for (int v = 0; v < vocabulary; v++) {
            probabilities[v] /= drawableMass;
        }
        Integer[] order = new Integer[vocabulary];
        for (int v = 0; v < vocabulary; v++) {
            order[v] = v;
        }
        Arrays.sort(order, (a, b) -> probabilities[b] != probabilities[a] ? Double.compare(probabilities[b], probabilities[a]) : a - b);
        int keep = decoding.topK() > 0 ? Math.min(decoding.topK(), vocabulary) : vocabulary;
        double total = 0;
        int kept = 0;
        for (; kept < keep; kept++) {
            if (total >= decoding.topP()) {
                break;
            }
            total += probabilities[order[kept]];
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += probabilities[order[i]];
            if (target < cumulative) {
                return order[i];
            }
        }
        return order[Math.max(0, kept - 1)];
    }

    /** The token at which a uniform draw falls in the cumulative sum of {@code weights} (summing to {@code total}), in vocabulary order. */
    private int drawInOrder(double[] weights, double total) {
        double target = random.nextDouble() * total;
        double cumulative = 0;
        int last = firstDrawable(weights.length);
        for (int v = 0; v < weights.length; v++) {
            if (weights[v] > 0) {
                last = v;
                cumulative += weights[v];
                if (target < cumulative) {
                    return v;
                }
            }
        }
        return last; // the draw rounded onto the total itself
    }

    private int mostLikely(double[] logProbs) {
        int best = firstDrawable(logProbs.length);
        for (int v = 0; v < logProbs.length; v++) {
            if (drawable.test(v) && logProbs[v] > logProbs[best]) {
                best = v;
            }
        }
        return best;
    }

    /** Log-softmax of logits / temperature over every token. */
    private static double[] logSoftmax(float[] logits, int offset, int vocabulary, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabulary; v++) {
            max = Math.max(max, logits[offset + v] / temperature);
        }
        double sum = 0;
        for (int v = 0; v < vocabulary; v++) {
            sum += Math.exp(logits[offset + v] / temperature - max);
        }
        double logSum = max + Math.log(sum);
        double[] logProbs = new double[vocabulary];
        for (int v = 0; v < vocabulary; v++) {
            logProbs[v] = logits[offset + v] / temperature - logSum;
        }
        return logProbs;
    }

    private int firstDrawable(int vocabulary) {
        for (int v = 0; v < vocabulary; v++) {
            if (drawable.test(v)) {
                return v;
            }
        }
        throw new IllegalStateException("no token of " + vocabulary + " may be drawn");
    }
}
