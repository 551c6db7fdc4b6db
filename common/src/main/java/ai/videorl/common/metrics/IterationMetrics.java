package ai.videorl.common.metrics;

import ai.videorl.common.advantage.AdvantageBatch;
import ai.videorl.common.advantage.GroupStatus;
import ai.videorl.common.loss.LossResult;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects one iteration's metrics under {@link MetricKeys} names, in a stable order, as the
 * line written to {@code metrics.jsonl}. Every value must be finite: a NaN in a metric is a bug
 * to surface, not a point to plot.
 */
public final class IterationMetrics {

    private final Map<String, Double> values = new LinkedHashMap<>();

    public IterationMetrics scores(double[] totals) {
        return statistics(MetricKeys.SCORE, totals);
    }

    /** Statistics over every response token's advantage. */
    public IterationMetrics tokenAdvantages(double[] advantages) {
        return statistics(MetricKeys.ADVANTAGES, advantages);
    }

    /**
     * Response length statistics and the fraction cut off at the length limit. Truncation is
     * given, not inferred from the length: a response that ended itself may still reach the limit.
     */
    public IterationMetrics responseLengths(int[] lengths, boolean[] truncated) {
        if (truncated.length != lengths.length) {
            throw new IllegalArgumentException(lengths.length + " lengths but " + truncated.length + " truncation flags");
        }
        double[] asDoubles = new double[lengths.length];
        int clipped = 0;
        for (int i = 0; i < lengths.length; i++) {
            asDoubles[i] = lengths[i];
            clipped += truncated[i] ? 1 : 0;
        }
        statistics(MetricKeys.RESPONSE_LENGTH, asDoubles);
        return put(MetricKeys.RESPONSE_CLIP_RATIO, lengths.length == 0 ? 0 : (double) clipped / lengths.length);
    }

    /** {@code reward/TERM/mean} for each reward term column. */
    public IterationMetrics rewardTerm(String term, double[] values) {
        return put(MetricKeys.rewardMean(term), mean(values));
    }

    public IterationMetrics groups(AdvantageBatch batch) {
        put(MetricKeys.GROUPS, batch.totalGroups());
        put(MetricKeys.ZERO_VARIANCE_GROUP_FRACTION, batch.zeroVarianceFraction());
        put(MetricKeys.SINGLE_GROUPS, batch.count(GroupStatus.SINGLE));
        put(MetricKeys.EMPTY_GROUPS, batch.count(GroupStatus.EMPTY));
        return put(MetricKeys.DROPPED_GROUPS, batch.droppedGroups());
    }

    public IterationMetrics loss(LossResult loss) {
        put(MetricKeys.PG_LOSS, loss.pgLoss());
        put(MetricKeys.PG_CLIPFRAC, loss.clipFraction());
        put(MetricKeys.PG_CLIPFRAC_LOWER, loss.dualClipFraction());
        put(MetricKeys.PPO_KL, loss.approximateKl());
        put(MetricKeys.ENTROPY, loss.entropy());
        return put(MetricKeys.KL_LOSS, loss.klLoss());
    }

    public IterationMetrics gradientNorm(double norm) {
        return put(MetricKeys.GRAD_NORM, norm);
    }

    public IterationMetrics learningRate(double rate) {
        return put(MetricKeys.LEARNING_RATE, rate);
    }

    public IterationMetrics timing(String stage, double seconds) {
        return put(MetricKeys.timing(stage), seconds);
    }

    /** {@code perf/throughput}: tokens (prompts and responses) per second of step time per worker (the frameworks' per-GPU figure). */
    public IterationMetrics throughput(long tokens, double stepSeconds, int workers) {
        if (!(stepSeconds > 0) || workers < 1) {
            throw new IllegalArgumentException("throughput needs a positive step time and at least one worker, got "
                    + stepSeconds + " s and " + workers);
        }
        return put(MetricKeys.THROUGHPUT, tokens / stepSeconds / workers);
    }

    /** Any other metric; the name must be new. */
    public IterationMetrics put(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric '" + name + "' is not finite: " + value);
        }
        if (values.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("metric '" + name + "' recorded twice");
        }
        return this;
    }

    /** The metrics in the order they were recorded. */
    public Map<String, Double> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private IterationMetrics statistics(String name, double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value);
            min = Math.min(min, value);
        }
        put(MetricKeys.mean(name), mean(values));
        put(MetricKeys.max(name), values.length == 0 ? 0 : max);
        return put(MetricKeys.min(name), values.length == 0 ? 0 : min);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
