package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.PromptPartitioner;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.EarlyExitDecoder;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.rollout.PolicyShards;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.common.data.Sample;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.recipe.ParsedCompletion;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.recipe.VideoAutoR1;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Evaluation: one greedy response per prompt, decoded on the executors' policy shards like
 * rollouts, scored by the recipe, and summarised overall and per problem type: the task accuracy
 * of the answer given (recipe-independent, in [0, 1]), mean IoU where a time span is asked, tokens
 * generated per answer, the fraction that thought, and the think–answer consistency rate where the
 * recipe scores it.
 *
 * <p>VideoAuto-R1 answers twice. With {@link Decoding#earlyExit} the decode really stops after the
 * first answer when its confidence reaches τ (the two-stage decode of {@link EarlyExitDecoder}),
 * and that first answer is the one scored. A full decode also records every response's first-answer
 * confidence, so one full decode gives the whole accuracy/tokens curve over τ: the two-stage decode
 * produces exactly the tokens of the one-stage decode up to where it stops.
 */
public final class Evaluator {

    /** Columns the evaluation adds to the scored responses. */
    public static final String CONFIDENCE = "confidence";
    public static final String STAGE_ONE_TOKENS = "stage_one_tokens";
    public static final String HAS_THINK = "has_think";
    public static final String EXITED_EARLY = "exited_early";
    public static final String THOUGHT = "thought";
    public static final String ACCURACY_FIRST = "accuracy_first_answer";
    public static final String ANSWER_ACCURACY = "answer_accuracy";
    public static final String IOU = "iou";

    /** Prompts decoded together. */
    private static final int ROWS_PER_BATCH = 64;

    /**
     * How responses are decoded: greedily up to {@code maxNewTokens}, in full or with VideoAuto-R1's
     * confidence-gated early exit at {@code threshold}.
     */
    public record Decoding(int maxNewTokens, boolean earlyExit, double threshold) implements Serializable {

        public static Decoding full(int maxNewTokens) {
            return new Decoding(maxNewTokens, false, Double.NaN);
        }

        public static Decoding earlyExit(int maxNewTokens, double threshold) {
            return new Decoding(maxNewTokens, true, threshold);
        }
    }

    /**
     * One group's figures.
     *
     * @param prompts prompts evaluated
     * @param accuracy mean task accuracy of the answers given, in [0, 1]
     * @param meanReward mean of the recipe's total reward (an early-exited response is scored as written)
     * @param tokensPerAnswer mean tokens generated per answer
     * @param thinkRate fraction of responses whose reasoning was decoded
     * @param iou mean temporal IoU over the prompts asking for a time span, or null when none did
     * @param consistencyRate mean think–answer consistency where the recipe's judge scores it, else null
     */
    public record Scores(long prompts, double accuracy, double meanReward, double tokensPerAnswer, double thinkRate, Double iou,
                         Double consistencyRate) {
    }

    /** The early exit at τ, worked out from a full decode. */
    public record SweepPoint(double threshold, double accuracy, double tokensPerAnswer, double thinkRate) {
    }

    /** Overall and per problem type; {@code sweep} is empty unless a full VideoAuto-R1 decode asked for one. */
    public record Result(Scores overall, Map<String, Scores> byType, List<SweepPoint> sweep) {
    }

    private Evaluator() {
    }

    /**
     * Evaluates {@code weights}, pushed to the executors for this evaluation only.
     *
     * @param sweep thresholds to work the early exit out at (a full VideoAuto-R1 decode only)
     * @param output where to write the scored responses as Parquet, or null
     */
    public static Result evaluate(SparkSession spark, Dataset<Row> prompts, PolicyWeights weights, StageContext context,
                                  Decoding decoding, List<Double> sweep, String output) {
        PushedWeights pushed = PushedWeights.push(JavaSparkContext.fromSparkContext(spark.sparkContext()), weights,
                PolicyShards.Role.POLICY);
        try {
            return evaluate(spark, prompts, pushed, context, decoding, sweep, output);
        } finally {
            pushed.destroy();
        }
    }

    private static Result evaluate(SparkSession spark, Dataset<Row> prompts, PushedWeights weights, StageContext context,
                                   Decoding decoding, List<Double> sweep, String output) {
        boolean answersTwice = context.config().recipe().name().equals(VideoAutoR1.NAME);
        if (decoding.earlyExit() && !answersTwice) {
            throw VideoRlException.invalidConfiguration("the early exit needs VideoAuto-R1's two answers; the checkpoint's recipe is "
                    + context.config().recipe().name());
        }
        int partitions = RolloutStage.partitions(spark, context.config());
        Dataset<Row> balanced = PromptPartitioner.balance(spark, prompts, partitions);
        Column[] sampleColumns = Arrays.stream(SampleRows.SCHEMA.fieldNames()).map(balanced::col).toArray(Column[]::new);
        JavaRDD<Row> decoded = balanced.select(sampleColumns).javaRDD()
                .mapPartitions(rows -> decodePartition(rows, weights, decoding, context));
        List<String> terms = RewardStage.termNames(context);
        Dataset<Row> scored = RewardStage.score(spark, spark.createDataFrame(decoded, RolloutStage.SCHEMA), terms, context);
        StructType schema = withEvaluationColumns(RewardStage.schema(terms));
        Dataset<Row> evaluated = spark.createDataFrame(scored.javaRDD().mapPartitions(rows -> annotate(rows, decoding, answersTwice, context)),
                        schema)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            String consistency = RolloutColumns.reward("consistency");
            Column consistent = terms.contains("consistency") ? avg(consistency) : lit(null).cast(DataTypes.DoubleType);
            Column[] figures = {count(col(Columns.ID)), avg(ANSWER_ACCURACY), avg(RolloutColumns.TOTAL), avg(RolloutColumns.RESPONSE_LENGTH),
                avg(col(THOUGHT).cast(DataTypes.DoubleType)), avg(IOU), consistent};
            Scores overall = scores(evaluated.agg(figures[0], Arrays.copyOfRange(figures, 1, figures.length)).first(), 0);
            Map<String, Scores> byType = new TreeMap<>();
            for (Row row : evaluated.groupBy(Columns.PROBLEM_TYPE).agg(figures[0], Arrays.copyOfRange(figures, 1, figures.length))
                    .collectAsList()) {
                byType.put(row.getString(0), scores(row, 1));
            }
            List<SweepPoint> points = answersTwice && !decoding.earlyExit() ? sweep(evaluated, sweep, decoding.maxNewTokens()) : List.of();
            if (output != null) {
                evaluated.write().mode(SaveMode.Overwrite).parquet(output);
            }
            return new Result(overall, byType, points);
        } finally {
            evaluated.unpersist(false);
        }
    }

    private static Iterator<Row> decodePartition(Iterator<Row> input, PushedWeights weights, Decoding decoding, StageContext context) {
        List<Row> prompts = PolicyBatches.inIdOrder(input);
        if (prompts.isEmpty()) {
            return List.<Row>of().iterator();
        }
        Policy policy = weights.shard();
        PolicyProcessor processor = context.processor();
        List<Row> out = new ArrayList<>(prompts.size());
        for (PolicyBatches.Batch batch : PolicyBatches.of(prompts, context, Math.min(ROWS_PER_BATCH, context.config().rollout().batchRows()))) {
            int rows = batch.rows().size();
            int[][] tokens = new int[rows][];
            double[][] logProbs = new double[rows][];
            boolean[] finished = new boolean[rows];
            if (decoding.earlyExit()) {
                EarlyExitDecoder.Answer[] answers = new EarlyExitDecoder(policy, processor)
                        .decode(batch.inputs(), decoding.threshold(), decoding.maxNewTokens(), decoding.maxNewTokens());
                for (int r = 0; r < rows; r++) {
                    tokens[r] = answers[r].tokens();
                    logProbs[r] = answers[r].logProbs();
                    finished[r] = answers[r].exitedEarly() || tokens[r].length < decoding.maxNewTokens();
                }
            } else {
                Policy.Generation generation = policy.generate(batch.inputs(), DecodingConfig.greedy(decoding.maxNewTokens()),
                        new long[rows], StopRule.NONE);
                for (int r = 0; r < rows; r++) {
                    tokens[r] = generation.tokens()[r];
                    logProbs[r] = generation.logProbs()[r];
                    finished[r] = generation.finished()[r];
                }
            }
            for (int r = 0; r < rows; r++) {
                out.add(RowValues.extend(batch.rows().get(r), 0, 0, weights.version(), RowValues.boxed(tokens[r]),
                        processor.decode(tokens[r]), tokens[r].length, finished[r], RowValues.boxed(logProbs[r]), null, Double.NaN));
            }
        }
        return out.iterator();
    }

    /** Adds the first answer's confidence and accuracy, where the reasoning starts, and the accuracy of the answer given. */
    private static Iterator<Row> annotate(Iterator<Row> rows, Decoding decoding, boolean answersTwice, StageContext context) {
        PolicyProcessor processor = context.processor();
        Recipe<?> recipe = Recipes.create(context.config().recipe().name());
        int think = processor.tokenId(EarlyExitDecoder.THINK);
        List<Row> out = new ArrayList<>();
        rows.forEachRemaining(row -> {
            Sample sample = SampleRows.fromRow(row);
            int[] ids = RowValues.ints(row, RolloutColumns.RESPONSE_IDS);
            String response = row.getAs(RolloutColumns.RESPONSE);
            ParsedCompletion parsed = recipe.parse(response);
            int thinkAt = EarlyExitDecoder.thinkIndex(processor, think, ids);
            boolean hasThink = thinkAt >= 0;
            int stageOne = hasThink ? thinkAt + 1 : ids.length;
            double finalAccuracy = row.getAs(RolloutColumns.ACCURACY);
            double confidence = EarlyExitDecoder.NO_CONFIDENCE;
            double firstAccuracy = finalAccuracy;
            String firstAnswer = null;
            if (answersTwice) {
                firstAnswer = ((VideoAutoR1.Parsed) parsed).firstAnswer();
                firstAccuracy = TaskMetrics.forType(sample.problemType()).scoreExtracted(firstAnswer, sample);
                confidence = EarlyExitDecoder.firstAnswerConfidence(processor, ids, RowValues.doubles(row, RolloutColumns.LOG_PROBS),
                        think);
            }
            // The decoder's own rule: the first answer stands when it reached <think> and was confident
            // enough, or when stage one used the whole budget.
            boolean exited = decoding.earlyExit() && hasThink
                    && (confidence >= decoding.threshold() || stageOne >= decoding.maxNewTokens());
            String answer = exited ? firstAnswer : parsed.finalAnswer();
            OptionalDouble iou = TaskMetrics.iou(answer, sample);
            out.add(RowValues.extend(row, confidence, stageOne, hasThink, exited, hasThink && !exited, firstAccuracy,
                    exited ? firstAccuracy : finalAccuracy, iou.isPresent() ? iou.getAsDouble() : null));
        });
        return out.iterator();
    }

    /**
     * Accuracy, tokens and think rate of the early exit at each τ, from a full decode's rows, by the
     * decoder's rule (see {@link #annotate}); one Spark job for all thresholds.
     */
    private static List<SweepPoint> sweep(Dataset<Row> evaluated, List<Double> thresholds, int maxNewTokens) {
        if (thresholds.isEmpty()) {
            return List.of();
        }
        List<Column> columns = new ArrayList<>();
        for (double threshold : thresholds) {
            Column exits = col(HAS_THINK).and(col(CONFIDENCE).geq(threshold).or(col(STAGE_ONE_TOKENS).geq(maxNewTokens)));
            columns.add(avg(when(exits, col(ACCURACY_FIRST)).otherwise(col(RolloutColumns.ACCURACY))));
            columns.add(avg(when(exits, col(STAGE_ONE_TOKENS)).otherwise(col(RolloutColumns.RESPONSE_LENGTH))));
            columns.add(avg(when(col(HAS_THINK).and(exits.unary_$bang()), 1.0).otherwise(0.0)));
        }
        Row row = evaluated.agg(columns.get(0), columns.subList(1, columns.size()).toArray(Column[]::new)).first();
        List<SweepPoint> points = new ArrayList<>();
        for (int i = 0; i < thresholds.size(); i++) {
            points.add(new SweepPoint(thresholds.get(i), value(row, 3 * i), value(row, 3 * i + 1), value(row, 3 * i + 2)));
        }
        return points;
    }

    private static Scores scores(Row row, int first) {
        return new Scores(row.getLong(first), value(row, first + 1), value(row, first + 2), value(row, first + 3), value(row, first + 4),
                row.isNullAt(first + 5) ? null : row.getDouble(first + 5), row.isNullAt(first + 6) ? null : row.getDouble(first + 6));
    }

    private static double value(Row row, int index) {
        return row.isNullAt(index) ? 0 : row.getDouble(index);
    }

    private static StructType withEvaluationColumns(StructType scored) {
        return scored.add(CONFIDENCE, DataTypes.DoubleType, false)
                .add(STAGE_ONE_TOKENS, DataTypes.IntegerType, false)
                .add(HAS_THINK, DataTypes.BooleanType, false)
                .add(EXITED_EARLY, DataTypes.BooleanType, false)
                .add(THOUGHT, DataTypes.BooleanType, false)
                .add(ACCURACY_FIRST, DataTypes.DoubleType, false)
                .add(ANSWER_ACCURACY, DataTypes.DoubleType, false)
                .add(IOU, DataTypes.DoubleType, true);
    }
}
