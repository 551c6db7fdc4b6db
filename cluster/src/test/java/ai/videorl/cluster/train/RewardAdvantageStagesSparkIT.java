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
            StageContext context = new StageContext(config, new RunVocabulary(tokenizer.pieces(), 16), 0, VideoCacheConfig.defaults(),
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

    @Test
    void overlongShapingAddsVerlsColumnsAndJoinsTheTotal() throws Exception {
        SparkSession spark = LocalSpark.session();
        Sample sample = SampleJson.read(new ObjectMapper().readTree(SAMPLE));
        // Responses of up to 20 tokens, the last 8 penalised: a 20-token response loses the whole penalty, 0.5.
        TrainingConfig config = TrainingConfigLoader.load(null, "test", List.of("recipe.name=video-r2",
                "rollout.max_new_tokens=20", "recipe.overlong_buffer=8", "recipe.overlong_penalty=0.5"));
        VocabularyTokenizer tokenizer = VocabularyTokenizer.fromCorpus(List.of(sample.problem()), Recipes.TEMPLATE_PIECES, 1);
        StageContext context = new StageContext(config, new RunVocabulary(tokenizer.pieces(), 16), 0, VideoCacheConfig.defaults(),
                new SerializableConfiguration(new Configuration()));
        List<Row> rollouts = new ArrayList<>();
        // "red" is not in the vocabulary: spelt a character a token, 9 and 17 tokens with END.
        String[] texts = {"<think>red</think><answer>A</answer>", "<think>red red red</think><answer>A</answer>"};
        for (int i = 0; i < texts.length; i++) {
            int[] ids = tokenizer.encode(texts[i]).ids();
            int[] ended = Arrays.copyOf(ids, ids.length + 1);
            ended[ids.length] = VocabularyTokenizer.END;
            rollouts.add(rollout(sample, i, ended, texts[i]));
        }
        List<String> terms = RewardStage.termNames(context);
        assertTrue(terms.containsAll(List.of("overlong_reward", "overlong")), terms.toString());
        List<Row> scored = RewardStage.score(spark, spark.createDataFrame(rollouts, RolloutStage.SCHEMA), terms, context)
                .orderBy(RolloutColumns.SAMPLE_INDEX).collectAsList();
        for (Row row : scored) {
            int length = row.getAs(RolloutColumns.RESPONSE_LENGTH);
            double expected = Math.min(-(length - (20 - 8)) / 8.0 * 0.5, 0);
            assertEquals(expected, row.<Double>getAs(RolloutColumns.reward("overlong_reward")), 1e-12, "length " + length);
            assertEquals(expected < 0 ? 1.0 : 0.0, row.<Double>getAs(RolloutColumns.reward("overlong")));
            assertEquals(2 + expected, row.<Double>getAs(RolloutColumns.TOTAL), 1e-12, "right and well formed, less the penalty");
        }
        assertEquals(0.0, scored.get(0).<Double>getAs(RolloutColumns.reward("overlong_reward")), "a short response");
        assertTrue(scored.get(1).<Double>getAs(RolloutColumns.reward("overlong_reward")) < 0, "a long response");
    }

    private static Row rollout(Sample sample, int index, int[] ids, String text) {
        double[] logProbs = new double[ids.length];
        Arrays.fill(logProbs, -0.5);
        return RowValues.extend(SampleRows.toRow(sample, 1), 0, index, 0L, RowValues.boxed(ids), text, ids.length, true,
                RowValues.boxed(logProbs), null, 0.0);
    }
}
