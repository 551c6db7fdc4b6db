package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.common.data.Sample;
import ai.videorl.common.data.SampleJson;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.text.VocabularyTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reward and advantage stages on local[2] with responses a policy can really sample. */
class RewardAdvantageStagesSparkIT {

    private static final String SAMPLE = "{\"id\": \"v0-mc\", \"video\": \"v0.mp4\", \"problem\": \"Which colour appeared first?\","
            + " \"problem_type\": \"multiple_choice\", \"options\": [\"A. red\", \"B. blue\"], \"solution\": \"A\"}";

    /** A right answer in each recipe's template, which scores above an empty response in all of its segments. */
    private static final Map<String, String> WELL_FORMED = Map.of(
            "videoauto-r1", "\\boxed{A}<think>red</think>\\boxed{A}",
            "video-r2", "<think>red</think><answer>A</answer>",
            "videop2r", "<observation>red</observation><think>red</think><answer>A</answer>");

    @Test
    void aResponseOfEndAloneGetsOneAdvantageTokenInEveryRecipe() throws Exception {
        SparkSession spark = LocalSpark.session();
        Sample sample = SampleJson.read(new ObjectMapper().readTree(SAMPLE));
        for (String recipe : Recipes.names()) {
            TrainingConfig config = TrainingConfigLoader.load(null, "test", List.of("recipe.name=" + recipe));
            VocabularyTokenizer tokenizer = VocabularyTokenizer.fromCorpus(List.of(sample.problem()), Recipes.TEMPLATE_PIECES, 1);
            StageContext context = new StageContext(config, new RunVocabulary(tokenizer.pieces(), 16), VideoCacheConfig.defaults(),
                    new SerializableConfiguration(new Configuration()));
            // END sampled first (an empty text), and a response that is not empty, in one group.
            List<Row> rollouts = new ArrayList<>();
            rollouts.add(rollout(sample, 0, new int[] {VocabularyTokenizer.END}, ""));
            String text = WELL_FORMED.get(recipe);
            int[] ids = tokenizer.encode(text).ids();
            int[] ended = Arrays.copyOf(ids, ids.length + 1);
            ended[ids.length] = VocabularyTokenizer.END;
            rollouts.add(rollout(sample, 1, ended, text));
            Dataset<Row> scored = RewardStage.score(spark, spark.createDataFrame(rollouts, RolloutStage.SCHEMA),
                    RewardStage.termNames(context), context);
            List<Row> advantaged = AdvantageStage.compute(scored, context).orderBy(RolloutColumns.SAMPLE_INDEX).collectAsList();

            assertEquals(2, advantaged.size(), recipe);
            for (Row row : advantaged) {
                assertEquals(row.<Integer>getAs(RolloutColumns.RESPONSE_LENGTH), row.<scala.collection.Seq<Double>>getAs(RolloutColumns.ADVANTAGES).size(),
                        recipe + ": one advantage a token");
            }
            assertEquals(1, advantaged.get(0).<scala.collection.Seq<Double>>getAs(RolloutColumns.ADVANTAGES).size(), recipe);
            double end = advantaged.get(0).<scala.collection.Seq<Double>>getAs(RolloutColumns.ADVANTAGES).apply(0);
            assertTrue(end < 0, recipe + ": the empty response scored below the answer, so END carries a negative advantage, got " + end);
        }
    }

    private static Row rollout(Sample sample, int index, int[] ids, String text) {
        double[] logProbs = new double[ids.length];
        Arrays.fill(logProbs, -0.5);
        return RowValues.extend(SampleRows.toRow(sample, 1), 0, index, 0L, RowValues.boxed(ids), text, ids.length, true,
                RowValues.boxed(logProbs), null, 0.0);
    }
}
