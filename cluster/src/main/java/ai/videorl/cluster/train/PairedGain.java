package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.when;

/**
 * What a second evaluation of the same held-out prompts gained over a first, prompt by prompt:
 * the mean of the per-prompt differences in accuracy and in the recipe's reward, each with its
 * standard error, and the share of prompts whose score changed at all.
 *
 * <p>Why paired: two evaluations of one policy pair before and after training answer the same
 * questions, so what makes one question hard cancels in the difference. Over the demo's 2,000
 * held-out questions the paired accuracy gain's standard error is about 0.007-0.013, and GRPO's
 * gains there have been 0.01-0.04 (docs/experiments/README.md). A gain of two standard errors or more is
 * one to believe.
 *
 * @param prompts prompts present in both evaluations
 * @param changed share of those prompts whose accuracy or reward differs between the two
 */
public record PairedGain(long prompts, Difference accuracy, Difference meanReward, double changed) {

    /** Differences smaller than this are rounding, not a changed answer. */
    private static final double SAME = 1e-9;

    /** The mean of the per-prompt differences (after − before) and its standard error. */
    public record Difference(double mean, double standardError) {

        /** The gain in standard errors; 0 when nothing varied. */
        public double standardErrors() {
            return standardError > 0 ? mean / standardError : 0;
        }

        static Difference fromJson(JsonNode json) {
            return new Difference(json.path("mean").asDouble(), json.path("standard_error").asDouble());
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("mean", mean);
            json.put("standard_error", standardError);
            return json;
        }
    }

    /**
     * Pairs two {@link Evaluator} outputs (rows with {@value Columns#ID},
     * {@value Evaluator#ANSWER_ACCURACY} and {@link RolloutColumns#TOTAL}) by prompt id.
     *
     * @throws VideoRlException when the two share no prompt
     */
    public static PairedGain of(Dataset<Row> before, Dataset<Row> after) {
        Dataset<Row> paired = scores(before, "before").join(scores(after, "after"), Columns.ID);
        Column accuracy = col("after_accuracy").minus(col("before_accuracy"));
        Column reward = col("after_reward").minus(col("before_reward"));
        Column changed = when(abs(accuracy).gt(SAME).or(abs(reward).gt(SAME)), 1.0).otherwise(0.0);
        Row row = paired.agg(count(Columns.ID), avg(accuracy), stddev_samp(accuracy), avg(reward), stddev_samp(reward), avg(changed))
                .first();
        long prompts = row.getLong(0);
        if (prompts == 0) {
            throw VideoRlException.invalidInput("the two evaluations share no prompt id: nothing to compare");
        }
        return new PairedGain(prompts, difference(row, 1, prompts), difference(row, 3, prompts), row.getDouble(5));
    }

    /** "accuracy +0.024 (standard error 0.015), mean reward +0.056 (0.022); 42 % of the answers' scores changed". */
    public String describe() {
        return String.format(Locale.ROOT, "accuracy %+.3f (standard error %.3f), mean reward %+.3f (%.3f); %.0f %% of the answers' "
                + "scores changed", accuracy.mean(), accuracy.standardError(), meanReward.mean(), meanReward.standardError(), 100 * changed);
    }

    /** "paired over the 2000 held-out questions: " and {@link #describe()}, with {@code questions} saying which ones. */
    public String describeOver(String questions) {
        return String.format(Locale.ROOT, "paired over the %d %s: %s", prompts, questions, describe());
    }

    /** For a JSON report: "paired_prompts", "accuracy" and "mean_reward" (each "mean" and "standard_error"), "changed". */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("paired_prompts", prompts);
        json.put("accuracy", accuracy.toJson());
        json.put("mean_reward", meanReward.toJson());
        json.put("changed", changed);
        return json;
    }

    /** Reads back what {@link #toJson} wrote (a demo's {@code summary.json} or an eval report's {@code gain}). */
    public static PairedGain fromJson(JsonNode json) {
        return new PairedGain(json.path("paired_prompts").asLong(), Difference.fromJson(json.path("accuracy")),
                Difference.fromJson(json.path("mean_reward")), json.path("changed").asDouble());
    }

    private static Dataset<Row> scores(Dataset<Row> evaluated, String prefix) {
        return evaluated.select(col(Columns.ID), col(Evaluator.ANSWER_ACCURACY).as(prefix + "_accuracy"),
                col(RolloutColumns.TOTAL).as(prefix + "_reward"));
    }

    private static Difference difference(Row row, int mean, long prompts) {
        // stddev_samp is null for a single pair: no spread to estimate, so no error either.
        double deviation = row.isNullAt(mean + 1) ? 0 : row.getDouble(mean + 1);
        return new Difference(row.getDouble(mean), deviation / Math.sqrt(prompts));
    }
}
