package ai.videorl.common.loss;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLossTest {

    private static final PolicyLossConfig DEFAULTS = PolicyLossConfig.DEFAULTS;

    private static ClippedSurrogate.Token token(double ratio, double advantage, PolicyLossConfig config) {
        return ClippedSurrogate.evaluate(Math.log(ratio), 0, advantage, config);
    }

    @Test
    void clippedSurrogateForPositiveAdvantages() {
        ClippedSurrogate.Token above = token(1.5, 1, DEFAULTS);
        assertEquals(-1.2, above.loss(), 1e-12, "ratio capped at 1 + 0.2");
        assertTrue(above.clipped());
        ClippedSurrogate.Token below = token(0.5, 1, DEFAULTS);
        assertEquals(-0.5, below.loss(), 1e-12, "the pessimistic bound is the unclipped one");
        assertFalse(below.clipped());
        assertEquals(-2.0, token(2, 1, DEFAULTS.withClip(0.2, 1.5, 3)).loss(), 1e-12, "clip-higher lets 2.0 through");
    }

    @Test
    void clippedSurrogateForNegativeAdvantagesWithDualClip() {
        ClippedSurrogate.Token below = token(0.5, -1, DEFAULTS);
        assertEquals(0.8, below.loss(), 1e-12, "ratio floored at 1 − 0.2");
        assertTrue(below.clipped());
        assertEquals(1.5, token(1.5, -1, DEFAULTS).loss(), 1e-12);
        ClippedSurrogate.Token far = token(5, -1, DEFAULTS);
        assertEquals(3.0, far.loss(), 1e-12, "dual clip caps −A·ratio at −A·3");
        assertTrue(far.dualClipped());
        assertFalse(far.clipped());
        assertEquals(5.0, token(5, -1, DEFAULTS.withClip(0.2, 0.2, Double.POSITIVE_INFINITY)).loss(), 1e-12,
                "an infinite dual clip switches it off");
        assertFalse(token(5, 1, DEFAULTS).dualClipped(), "dual clip only applies to negative advantages");
    }

    @Test
    void logRatioIsClampedSoTheRatioNeverOverflows() {
        ClippedSurrogate.Token token = ClippedSurrogate.evaluate(0, -1000, -1, DEFAULTS.withClip(0.2, 0.2, Double.POSITIVE_INFINITY));
        assertEquals(20, token.logRatio());
        assertEquals(Math.exp(20), token.loss(), 1e-3);
    }

    @Test
    void gspoTakesOneRatioPerSequenceByHand() {
        PolicyLossConfig gspo = DEFAULTS.withMode(PolicyLossMode.GSPO, LossAggregation.SEQ_MEAN_TOKEN_MEAN).withClip(3e-4, 4e-4, 3);
        // Sequence 1: log-ratios 0.3 and -0.1 (mean 0.1), A = 1; sequence 2: log-ratio 0.0002, A = -2.
        List<SequenceTerms> batch = List.of(
                new SequenceTerms(new double[] {-1.0, -2.3}, new double[] {-1.3, -2.2}, null, new double[] {1, 1}, null),
                new SequenceTerms(new double[] {-0.5}, new double[] {-0.5002}, null, new double[] {-2}, null));
        LossResult result = new PolicyLoss(gspo).evaluate(batch, BatchShape.of(batch, 8));
        double s2 = Math.exp(0.0002);
        // Sequence 1: s1 = e^0.1 is above 1 + 4e-4, so max(−s1, −(1 + 4e-4)) = −(1 + 4e-4) on both tokens, the
        // clip bound active; sequence 2: s2 lies inside the range, 2·s2. Each sequence a mean of its tokens.
        assertEquals((-(1 + 4e-4) + 2 * s2) / 2, result.pgLoss(), 1e-12);
        assertEquals(2, result.clippedTokens(), "sequence 1's clip bound is active on both its tokens");
        assertEquals(0, result.dualClippedTokens(), "GSPO has no dual clip");
        assertEquals(-(0.3 - 0.1 + 0.0002), result.negativeLogRatioSum(), 1e-12, "ppo_kl stays per token");

        // A sequence ratio far from 1 with a negative advantage: no dual clip caps it, the log is capped at 10.
        SequenceTerms far = new SequenceTerms(new double[] {0}, new double[] {-50}, null, new double[] {-1}, null);
        assertEquals(Math.exp(10), new PolicyLoss(gspo).evaluate(List.of(far), BatchShape.of(List.of(far), 8)).pgLoss(), 1e-6);

        VideoRlException error = assertThrows(VideoRlException.class,
                () -> DEFAULTS.withMode(PolicyLossMode.GSPO, LossAggregation.TOKEN_MEAN));
        assertTrue(error.getMessage().contains("seq-mean-token-mean"), error.getMessage());
        assertEquals(PolicyLossMode.GSPO, PolicyLossMode.parse("GSPO"));
        assertThrows(VideoRlException.class, () -> PolicyLossMode.parse("sequence"));
    }

    @Test
    void klEstimatorsByHand() {
        assertEquals(1.0, KlEstimator.K1.value(-1, -2), 1e-15);
        assertEquals(0.5, KlEstimator.K2.value(-1, -2), 1e-15);
        // d = ref − logp = −1: e^−1 + 1 − 1.
        assertEquals(Math.exp(-1), KlEstimator.K3.value(-1, -2), 1e-15);
        assertEquals(0.0, KlEstimator.K3.value(-3, -3), 1e-15);
        assertEquals(10.0, KlEstimator.K3.value(0, -50), "d clamped to −20, then k3 clamped to 10");
        assertEquals(10.0, KlEstimator.K3.value(-50, 0), "e^20 − 21 clamped to 10");
        assertEquals(KlEstimator.K3, KlEstimator.parse("low_var_kl"));
        assertEquals(KlEstimator.K2, KlEstimator.parse("K2"));
        assertThrows(VideoRlException.class, () -> KlEstimator.parse("k4"));
    }

    /** Token losses [1, 2, 3] and [4]: ratio 1 and negative advantages make ℓ = −A. */
    private static final List<SequenceTerms> BATCH = List.of(
            new SequenceTerms(new double[3], new double[3], null, new double[] {-1, -2, -3}, null),
            new SequenceTerms(new double[1], new double[1], null, new double[] {-4}, null));

    private static double pgLoss(LossAggregation mode, List<SequenceTerms> shard) {
        return new PolicyLoss(DEFAULTS.withAggregation(mode)).evaluate(shard, BatchShape.of(BATCH, 8)).pgLoss();
    }

    @Test
    void aggregationModesByHand() {
        assertEquals(10.0 / 4, pgLoss(LossAggregation.TOKEN_MEAN, BATCH), 1e-15);
        assertEquals((6.0 + 4.0) / 2, pgLoss(LossAggregation.SEQ_MEAN_TOKEN_SUM, BATCH), 1e-15);
        assertEquals((2.0 + 4.0) / 2, pgLoss(LossAggregation.SEQ_MEAN_TOKEN_MEAN, BATCH), 1e-15);
        // Dr. GRPO as TRL's dr_grpo: the token sum over (N · L), N = 2 sequences, L = 8.
        assertEquals(10.0 / (2 * 8), pgLoss(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM, BATCH), 1e-15);
        assertEquals(LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM, LossAggregation.parse("seq-mean-token-sum-norm"));
        VideoRlException error = assertThrows(VideoRlException.class, () -> LossAggregation.parse("mean"));
        assertTrue(error.getMessage().contains("token-mean, seq-mean-token-sum"), error.getMessage());
    }

    @Test
    void shardsEvaluatedWithTheGlobalShapeAddUpToTheWholeBatch() {
        for (LossAggregation mode : LossAggregation.values()) {
            PolicyLoss loss = new PolicyLoss(DEFAULTS.withAggregation(mode).withKl(KlEstimator.K3, 0.1));
            List<SequenceTerms> batch = List.of(
                    new SequenceTerms(new double[] {-1, -2}, new double[] {-1.1, -1.5}, new double[] {-0.9, -2.5},
                            new double[] {0.5, 0.5}, new double[] {1, 2}),
                    new SequenceTerms(new double[] {-3}, new double[] {-2}, new double[] {-3.5}, new double[] {-1}, new double[] {3}),
                    new SequenceTerms(new double[0], new double[0], new double[0], new double[0], new double[0]));
            BatchShape shape = BatchShape.of(batch, 4);
            LossResult whole = loss.evaluate(batch, shape);
            LossResult sum = loss.evaluate(batch.subList(0, 1), shape).plus(loss.evaluate(batch.subList(1, 3), shape));
            assertEquals(whole.loss(), sum.loss(), 1e-12, mode.toString());
            assertEquals(whole.klLoss(), sum.klLoss(), 1e-12, mode.toString());
            assertEquals(whole.tokens(), sum.tokens());
            assertEquals(whole.clipFraction(), sum.clipFraction(), 1e-15);
        }
    }

    @Test
    void totalLossAddsKlAndSubtractsEntropy() {
        PolicyLossConfig config = DEFAULTS.withKl(KlEstimator.K1, 0.5).withEntropyCoefficient(0.01);
        // One token: ratio 1, A = 2 -> ℓ = −2; k1 = logp − ref = 1; entropy 3.
        List<SequenceTerms> batch = List.of(new SequenceTerms(new double[] {-1}, new double[] {-1}, new double[] {-2},
                new double[] {2}, new double[] {3}));
        LossResult result = new PolicyLoss(config).evaluate(batch, BatchShape.of(batch, 4));
        assertEquals(-2, result.pgLoss(), 1e-15);
        assertEquals(1, result.klLoss(), 1e-15);
        assertEquals(3, result.entropy(), 1e-15);
        assertEquals(-2 + 0.5 * 1 - 0.01 * 3, result.loss(), 1e-15);
    }

    @Test
    void clipFractionsAndApproximateKlAreTokenMeans() {
        // Tokens: ratio 1.5 A=1 (clipped), ratio 5 A=−1 (dual clipped), ratio 1 A=1 (neither), ratio 0.5 A=1 (neither).
        double[] logProbs = {Math.log(1.5), Math.log(5), 0, Math.log(0.5)};
        List<SequenceTerms> batch = List.of(new SequenceTerms(logProbs, new double[4], null, new double[] {1, -1, 1, 1}, null));
        LossResult result = new PolicyLoss(DEFAULTS).evaluate(batch, BatchShape.of(batch, 4));
        assertEquals(0.25, result.clipFraction());
        assertEquals(0.25, result.dualClipFraction());
        assertEquals(-(Math.log(1.5) + Math.log(5) + Math.log(0.5)) / 4, result.approximateKl(), 1e-15);
        assertEquals(0, LossResult.EMPTY.clipFraction());
    }

    @Test
    void klNeedsReferenceLogProbs() {
        List<SequenceTerms> batch = List.of(new SequenceTerms(new double[1], new double[1], null, new double[1], null));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new PolicyLoss(DEFAULTS.withKl(KlEstimator.K3, 0.04)).evaluate(batch, BatchShape.of(batch, 4)));
        assertTrue(error.getMessage().contains("sequence 0"), error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SequenceTerms(new double[2], new double[1], null, new double[2], null));
    }

    @Test
    void configurationIsValidatedNamingTheSetting() {
        assertConfigError("clip_low", () -> DEFAULTS.withClip(0, 0.2, 3));
        assertConfigError("clip_low", () -> DEFAULTS.withClip(1, 0.2, 3));
        assertConfigError("clip_high", () -> DEFAULTS.withClip(0.2, -0.1, 3));
        assertConfigError("dual_clip", () -> DEFAULTS.withClip(0.2, 0.2, 1));
        assertConfigError("kl_coef", () -> DEFAULTS.withKl(KlEstimator.K3, -0.01));
        assertConfigError("entropy_coef", () -> DEFAULTS.withEntropyCoefficient(Double.NaN));
    }

    @Test
    void gradientClippingByGlobalNorm() {
        float[] gradient = {3, 4};
        assertEquals(5, GradientClipping.clipByGlobalNorm(gradient, 1), 1e-12);
        double scale = 1 / (5 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, gradient);
        float[] small = {0.3f, 0.4f};
        GradientClipping.clipByGlobalNorm(small, 1);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small, "below the bound nothing changes");
        float[] broken = {Float.NaN, 1};
        assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(broken, 1)));
        assertEquals(1f, broken[1], "a non-finite gradient is left for the caller to skip");
    }

    private static void assertConfigError(String setting, org.junit.jupiter.api.function.Executable build) {
        VideoRlException error = assertThrows(VideoRlException.class, build);
        assertEquals(ErrorCode.INVALID_CONFIGURATION, error.code());
        assertTrue(error.getMessage().startsWith(setting), error.getMessage());
    }
}
