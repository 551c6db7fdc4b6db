package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.reward.ConfiguredServices;
import ai.videorl.common.data.Sample;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.recipe.OverlongPenalty;
import ai.videorl.common.recipe.ParsedCompletion;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.recipe.Segment;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.text.Span;
import ai.videorl.common.text.TokenOffsets;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward stage: the recipe's terms over each partition of rollouts, in batches (so judge
 * and embedder terms batch their calls), one column per term ({@code reward_<term>}, ending
 * with {@code reward_total}), plus the recipe-independent task accuracy, whether the failure
 * policy dropped the rollout, the terms that got no verdict, and each segment's token span for per-segment advantages. A
 * malformed response scores 0 on the terms it fails; nothing here throws on model output.
 */
public final class RewardStage {

    /** Rollouts scored together: the unit a judge or embedder term batches its calls over. */
    static final int BATCH = 256;

    /** One set of services (judge clients, embedder) per executor JVM and configuration. */
    private static final Map<ConfiguredServices.Options, ConfiguredServices> SERVICES = new HashMap<>();

    private RewardStage() {
    }

    /** The recipe as the configuration sets it up, with its services and any overlong shaping. */
    static synchronized Recipe<?> recipe(StageContext context) {
        TrainingConfig.Recipe settings = context.config().recipe();
        ConfiguredServices services = SERVICES.computeIfAbsent(settings.toServiceOptions(),
                key -> ConfiguredServices.create(key, context.hadoop()::get));
        Recipe<?> recipe = Recipes.create(settings.name(), services.services());
        return settings.overlongBuffer() == 0 ? recipe : OverlongPenalty.of(recipe, context.config().rollout().maxNewTokens(),
                settings.overlongBuffer(), settings.overlongPenalty());
    }

    /** The recipe's term names, in column order (the driver builds the schema from them). */
    public static List<String> termNames(StageContext context) {
        return new RewardScorer<>(recipe(context).terms()).termNames();
    }

    public static StructType schema(List<String> terms) {
        StructType schema = RolloutStage.SCHEMA;
        for (String term : terms) {
            schema = schema.add(RolloutColumns.reward(term), DataTypes.DoubleType, false);
        }
        return schema.add(RolloutColumns.ACCURACY, DataTypes.DoubleType, false)
                .add(RolloutColumns.DROPPED, DataTypes.BooleanType, false)
                .add(RolloutColumns.UNAVAILABLE, DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add(RolloutColumns.SEGMENT_SPANS, DataTypes.createMapType(DataTypes.StringType,
                        DataTypes.createArrayType(DataTypes.IntegerType, false), false), false);
    }

    public static Dataset<Row> score(SparkSession spark, Dataset<Row> rollouts, List<String> terms, StageContext context) {
        JavaRDD<Row> scored = rollouts.javaRDD().mapPartitions(rows -> scorePartition(rows, context));
        return spark.createDataFrame(scored, schema(terms));
    }

    private static Iterator<Row> scorePartition(Iterator<Row> rows, StageContext context) {
        Recipe<?> recipe = recipe(context);
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == BATCH || !rows.hasNext()) {
                out.addAll(scoreBatch(recipe, batch, context.processor()));
                batch.clear();
            }
        }
        return out.iterator();
    }

    private static <P extends ParsedCompletion> List<Row> scoreBatch(Recipe<P> recipe, List<Row> rows, PolicyProcessor processor) {
        List<RewardInput<P>> inputs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Sample sample = SampleRows.fromRow(row);
            int[] ids = RowValues.ints(row, RolloutColumns.RESPONSE_IDS);
            String response = row.getAs(RolloutColumns.RESPONSE);
            inputs.add(new RewardInput<>(sample, response, recipe.parse(response), processor.offsets(ids), processor));
        }
        RewardScorer<P> scorer = new RewardScorer<>(recipe.terms());
        RewardTable table = scorer.score(inputs);
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            RewardInput<P> input = inputs.get(i);
            List<Object> values = new ArrayList<>(scorer.termNames().size() + 4);
            for (String term : scorer.termNames()) {
                values.add(table.get(i, term));
            }
            values.add(TaskMetrics.forType(input.sample().problemType()).scoreExtracted(input.parsed().finalAnswer(), input.sample()));
            values.add(table.dropped().containsKey(i));
            values.add(table.unavailableTerms(i).toArray(String[]::new));
            values.add(tokenSpans(input.parsed().segments(), input.tokens()));
            out.add(RowValues.extend(row, values.toArray()));
        }
        return out;
    }

    /** Segment name to its token span as [start, end); a Scala map, which Spark's row encoder takes for a map column. */
    private static scala.collection.Map<String, Integer[]> tokenSpans(Map<Segment, Span> characters, TokenOffsets tokens) {
        Map<String, Integer[]> spans = new LinkedHashMap<>();
        tokens.tokenSpans(characters).forEach((segment, span) -> spans.put(segment.name(), new Integer[] {span.start(), span.end()}));
        return CollectionConverters.asScala(spans);
    }
}
