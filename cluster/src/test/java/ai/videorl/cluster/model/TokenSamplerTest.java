package ai.videorl.cluster.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Draw frequencies against the distribution they come from: over 40,000 draws a token's share is
 * within 0.01 of its probability (the standard error is at most 0.0025).
 */
class TokenSamplerTest {

    private static final int DRAWS = 40_000;
    /** PAD, BEGIN and UNKNOWN (0, 1, 3) are the most likely and never drawn; END (2) may be. */
    private static final float[] LOGITS = {6, 6, 0.5f, 6, 0, 1, 1.5f, 2};

    private static double[] frequencies(DecodingConfig decoding, long seed) {
        TokenSampler sampler = new TokenSampler(decoding, seed, TokenSampler.TINY_VOCABULARY);
        double[] counts = new double[LOGITS.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.draw(LOGITS, 0, LOGITS.length).token()]++;
        }
        for (int v = 0; v < counts.length; v++) {
            counts[v] /= DRAWS;
        }
        return counts;
    }

    /** Softmax of LOGITS / temperature over {@code tokens} only, zero elsewhere. */
    private static double[] softmax(double temperature, int... tokens) {
        double[] probabilities = new double[LOGITS.length];
        double sum = 0;
        for (int token : tokens) {
            probabilities[token] = Math.exp(LOGITS[token] / temperature);
            sum += probabilities[token];
        }
        for (int token : tokens) {
            probabilities[token] /= sum;
        }
        return probabilities;
    }

    private static void assertDistribution(double[] expected, double[] actual) {
        for (int v = 0; v < expected.length; v++) {
            assertEquals(expected[v], actual[v], 0.01, "share of token " + v);
        }
    }

    @Test
    void unfilteredDrawsFollowTheSoftmaxOfTheDrawableTokens() {
        assertDistribution(softmax(1.0, 2, 4, 5, 6, 7), frequencies(DecodingConfig.sampling(1.0, 0, 1.0, 8), 7));
        assertDistribution(softmax(0.5, 2, 4, 5, 6, 7), frequencies(DecodingConfig.sampling(0.5, 0, 1.0, 8), 7));
    }

    @Test
    void topKAndTopPKeepTheMostLikelyTokensRenormalised() {
        assertDistribution(softmax(1.0, 6, 7), frequencies(DecodingConfig.sampling(1.0, 2, 1.0, 8), 3));
        // Token 7 alone has 0.43 of the mass, 7 and 6 together 0.69: top-p 0.5 keeps those two.
        assertDistribution(softmax(1.0, 6, 7), frequencies(DecodingConfig.sampling(1.0, 0, 0.5, 8), 3));
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        TokenSampler first = new TokenSampler(DecodingConfig.sampling(1.0, 0, 1.0, 8), 11, TokenSampler.TINY_VOCABULARY);
        TokenSampler second = new TokenSampler(DecodingConfig.sampling(1.0, 0, 1.0, 8), 11, TokenSampler.TINY_VOCABULARY);
        for (int i = 0; i < 100; i++) {
            assertEquals(first.draw(LOGITS, 0, LOGITS.length), second.draw(LOGITS, 0, LOGITS.length));
        }
    }
}
