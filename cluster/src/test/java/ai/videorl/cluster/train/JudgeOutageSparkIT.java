package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.judge.LoopbackChatServer;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.recipe.VideoP2R;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A VideoP2R run whose judge answers every request with 503 for a whole reward stage: each
 * question is tried {@code recipe.judge_attempts} times, then the configured failure policy
 * applies (score 0, or drop the rollout from the update), every rollout is still stored, and the
 * metrics count what happened.
 */
class JudgeOutageSparkIT {

    private static final int GROUP = 4;
    private static final int PROMPTS = 4;
    private static final int ATTEMPTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path data;
    private static Path warm;
    private static LoopbackChatServer judge;

    @BeforeAll
    static void warmUp() throws Exception {
        judge = new LoopbackChatServer((number, request) -> LoopbackChatServer.Reply.status(503));
        data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 3, 11, VideoFormat.DEFAULT, 2));
        warm = directory.resolve("sft");
        new SftTrainer(LocalSpark.session(), config(warm, "data.references=" + data.resolve(SynthWriter.REFERENCES),
                "sft.steps=60", "sft.batch_size=15", "sft.lr=3e-3", "sft.warmup_steps=5"), System.out::println).train();
    }

    @AfterAll
    static void stopJudge() {
        judge.close();
    }

    private static TrainingConfig config(Path out, String... more) {
        List<String> overrides = new ArrayList<>(List.of(
                "recipe.name=" + VideoP2R.NAME, "recipe.judge_url=" + judge.url(), "recipe.judge_model=judge",
                "recipe.judge_attempts=" + ATTEMPTS, "recipe.judge_backoff_ms=10",
                "data.train=" + data.resolve(SynthWriter.MANIFEST), "run.out=" + out,
                "data.prompts_per_step=" + PROMPTS, "rollout.group_size=" + GROUP, "rollout.max_new_tokens=100", "rollout.partitions=2",
                "model.width=32", "model.layers=2", "model.heads=2", "model.max_length=192", "optimizer.lr=1e-3"));
        if (Files.exists(warm.resolve(RunFiles.VOCABULARY))) {
            overrides.add("model.init=" + warm);
        }
        overrides.addAll(List.of(more));
        return TrainingConfigLoader.load(null, "test", overrides);
    }

    private static JsonNode onlyMetricsLine(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(1, lines.size());
        return JSON.readTree(lines.get(0));
    }

    @Test
    void withScoreZeroUnjudgedRolloutsScoreZeroOnPerceptionAndStillTrain() throws Exception {
        Path run = directory.resolve("zero");
        int requestsBefore = judge.received().size();
        new GrpoTrainer(LocalSpark.session(), config(run, "run.iterations=1", "recipe.judge_failure=zero"), System.out::println).train(false);
        Dataset<Row> rollouts = RolloutStore.read(LocalSpark.session(), run.toString());
        Dataset<Row> unjudged = rollouts.filter(array_contains(col(RolloutColumns.UNAVAILABLE), VideoP2R.ACCURACY_PERCEPTION));
        long count = unjudged.count();

        assertEquals(PROMPTS * GROUP, rollouts.count(), "every rollout is stored");
        assertTrue(count > 0, "the warm start writes observations, so the judge was needed");
        assertEquals(ATTEMPTS * count, judge.received().size() - requestsBefore, "each question tried " + ATTEMPTS + " times");
        assertEquals(0, unjudged.filter(col(RolloutColumns.reward(VideoP2R.ACCURACY_PERCEPTION)).notEqual(0.0)).count());
        assertEquals(0, rollouts.filter(col(RolloutColumns.DROPPED)).count());
        JsonNode metrics = onlyMetricsLine(run);
        assertEquals(count, metrics.get("judge/unavailable").asLong());
        assertEquals(0, metrics.get("judge/dropped").asLong());
    }

    @Test
    void withDropUnjudgedRolloutsAreStoredButLeftOutOfTheUpdate() throws Exception {
        Path run = directory.resolve("drop");
        new GrpoTrainer(LocalSpark.session(), config(run, "run.iterations=1", "recipe.judge_failure=drop"), System.out::println).train(false);
        Dataset<Row> rollouts = RolloutStore.read(LocalSpark.session(), run.toString());
        long unjudged = rollouts.filter(size(col(RolloutColumns.UNAVAILABLE)).gt(0)).count();

        assertEquals(PROMPTS * GROUP, rollouts.count(), "dropped rollouts are stored too");
        assertTrue(unjudged > 0);
        assertEquals(unjudged, rollouts.filter(col(RolloutColumns.DROPPED)).count(), "exactly the unjudged ones are dropped");
        for (Row row : rollouts.filter(col(RolloutColumns.DROPPED)).select(RolloutColumns.ADVANTAGES).collectAsList()) {
            assertTrue(row.<Double>getList(0).stream().allMatch(advantage -> advantage == 0.0), "a dropped rollout teaches nothing");
        }
        assertEquals(0, rollouts.filter(not(col(RolloutColumns.DROPPED)))
                .filter(size(col(RolloutColumns.UNAVAILABLE)).gt(0)).count());
        JsonNode metrics = onlyMetricsLine(run);
        assertEquals(unjudged, metrics.get("judge/unavailable").asLong());
        assertEquals(unjudged, metrics.get("judge/dropped").asLong());
    }
}
