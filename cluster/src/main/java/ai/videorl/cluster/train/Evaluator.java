package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.PromptPartitioner;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.rollout.BroadcastWeights;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

/**
 * Held-out evaluation: one greedy response per prompt, scored by the recipe (mean total reward)
 * and by the recipe-independent task accuracy of its final answer, overall and per problem type.
 */
public final class Evaluator {

    /**
     * @param prompts prompts evaluated
     * @param accuracy mean task accuracy of the final answers, in [0, 1]
     * @param meanReward mean of the recipe's total reward
     * @param meanResponseTokens mean response length in tokens
     * @param accuracyByType mean accuracy per problem type
     */
    public record Result(long prompts, double accuracy, double meanReward, double meanResponseTokens,
                         Map<String, Double> accuracyByType) {
    }

    private Evaluator() {
    }

    /** @param output where to write the scored responses as Parquet, or null */
    public static Result evaluate(SparkSession spark, Dataset<Row> prompts, BroadcastWeights weights, List<String> terms,
                                  StageContext context, String output) {
        int partitions = RolloutStage.partitions(spark, context.config());
        RolloutStage.Sampling greedy = new RolloutStage.Sampling(0, 1,
                DecodingConfig.greedy(context.config().rollout().maxNewTokens()), context.config().run().seed());
        Dataset<Row> responses = RolloutStage.generate(spark, PromptPartitioner.balance(spark, prompts, partitions), weights, null,
                greedy, context);
        Dataset<Row> scored = RewardStage.score(spark, responses, terms, context).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row overall = scored.agg(count(col(Columns.ID)), avg(RolloutColumns.ACCURACY), avg(RolloutColumns.TOTAL),
                    avg(RolloutColumns.RESPONSE_LENGTH)).first();
            Map<String, Double> byType = new TreeMap<>();
            for (Row row : scored.groupBy(Columns.PROBLEM_TYPE).agg(avg(RolloutColumns.ACCURACY)).collectAsList()) {
                byType.put(row.getString(0), row.getDouble(1));
            }
            if (output != null) {
                scored.write().mode(SaveMode.Overwrite).parquet(output);
            }
            long evaluated = overall.getLong(0);
            return new Result(evaluated, evaluated == 0 ? 0 : overall.getDouble(1), evaluated == 0 ? 0 : overall.getDouble(2),
                    evaluated == 0 ? 0 : overall.getDouble(3), byType);
        } finally {
            scored.unpersist(false);
        }
    }
}
