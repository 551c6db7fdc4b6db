package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.common.advantage.AdvantageCalculator;
import ai.videorl.common.advantage.GroupAdvantages;
import ai.videorl.common.advantage.GroupStatus;
import ai.videorl.common.advantage.RewardGroup;
import ai.videorl.common.advantage.TokenAdvantages;
import ai.videorl.common.recipe.Segment;
import ai.videorl.common.reward.RewardTerms;
import ai.videorl.common.text.Span;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Group advantages: the scored rollouts are grouped by prompt id (one shuffle) and each group's
 * advantages computed where it lands, with the configured estimator applied to each segment's
 * rewards (the recipe's {@code segmentRewards}), then spread over the segment's tokens. Adds
 * {@code advantages} (one per response token) and {@code group_status}. Rollouts the failure
 * policy dropped take no part in their group's statistics and get advantage 0.
 */
public final class AdvantageStage {

    private AdvantageStage() {
    }

    public static StructType schema(StructType scored) {
        return scored.add(RolloutColumns.ADVANTAGES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(RolloutColumns.GROUP_STATUS, DataTypes.StringType, false);
    }

    public static Dataset<Row> compute(Dataset<Row> scored, StageContext context) {
        JavaRDD<Row> advantaged = scored.javaRDD()
                .groupBy(row -> row.<String>getAs(Columns.ID))
                .mapPartitions(groups -> {
                    // Once per partition, not per group.
                    Map<Segment, List<RewardTerms.Weight>> segmentRewards = RewardStage.recipe(context).segmentRewards();
                    AdvantageCalculator calculator = new AdvantageCalculator(context.config().grpo().toEstimator(), false);
                    List<Row> out = new ArrayList<>();
                    groups.forEachRemaining(group -> out.addAll(group(group._1(), group._2(), segmentRewards, calculator)));
                    return out.iterator();
                });
        return scored.sparkSession().createDataFrame(advantaged, schema(scored.schema()));
    }

    private static List<Row> group(String promptId, Iterable<Row> input, Map<Segment, List<RewardTerms.Weight>> segmentRewards,
                                   AdvantageCalculator calculator) {
        List<Row> rows = new ArrayList<>();
        input.forEach(rows::add);
        rows.sort(Comparator.comparingInt(row -> row.<Integer>getAs(RolloutColumns.SAMPLE_INDEX)));
        List<Row> kept = rows.stream().filter(row -> !row.<Boolean>getAs(RolloutColumns.DROPPED)).toList();
        Map<Segment, double[]> rewards = new EnumMap<>(Segment.class);
        segmentRewards.forEach((segment, weights) -> {
            double[] values = new double[kept.size()];
            for (int i = 0; i < values.length; i++) {
                for (RewardTerms.Weight weight : weights) {
                    values[i] += weight.weight() * kept.get(i).<Double>getAs(RolloutColumns.reward(weight.term()));
                }
            }
            rewards.put(segment, values);
        });
        GroupAdvantages advantages = calculator.compute(new RewardGroup(promptId, rewards));
        List<Row> out = new ArrayList<>(rows.size());
        int k = 0;
        for (Row row : rows) {
            int length = row.getAs(RolloutColumns.RESPONSE_LENGTH);
            Double[] perToken = new Double[length];
            if (row.<Boolean>getAs(RolloutColumns.DROPPED)) {
                Arrays.fill(perToken, 0.0);
            } else {
                double[] expanded = TokenAdvantages.expand(advantages.ofRollout(k++), tokenSpans(row), length);
                for (int t = 0; t < length; t++) {
                    perToken[t] = expanded[t];
                }
            }
            out.add(RowValues.extend(row, perToken, advantages.status().name()));
        }
        return out;
    }

    private static Map<Segment, Span> tokenSpans(Row row) {
        Map<Segment, Span> spans = new EnumMap<>(Segment.class);
        row.<String, scala.collection.Seq<Integer>>getJavaMap(row.fieldIndex(RolloutColumns.SEGMENT_SPANS)).forEach((name, span) ->
                spans.put(Segment.valueOf(name), new Span(span.apply(0), span.apply(1))));
        return spans;
    }

    /** The rows of groups whose rewards differ: the only ones dynamic sampling keeps. */
    static Column informative() {
        return col(RolloutColumns.GROUP_STATUS).equalTo(lit(GroupStatus.INFORMATIVE.name()));
    }
}
