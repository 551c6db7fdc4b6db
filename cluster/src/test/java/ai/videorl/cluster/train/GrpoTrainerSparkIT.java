package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.synth.VideoFormat;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrpoTrainerSparkIT {

    @TempDir
    static Path directory;
    private static Path data;

    @BeforeAll
    static void synthesize() throws Exception {
        data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 3, 11, VideoFormat.DEFAULT, 2));
    }

    static TrainingConfig config(Path out, String... more) {
        List<String> overrides = new ArrayList<>(List.of(
                "data.train=" + data.resolve(SynthWriter.MANIFEST), "run.out=" + out, "run.iterations=2", "run.checkpoint_every=1",
                "data.prompts_per_step=4", "rollout.group_size=4", "rollout.max_new_tokens=12",
                "model.width=32", "model.layers=1", "model.heads=2", "model.max_length=96", "optimizer.lr=1e-3"));
        overrides.addAll(List.of(more));
        return TrainingConfigLoader.load(null, "test", overrides);
    }

    @Test
    void aSmallRunStoresGRolloutsPerPromptWithEveryColumn() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path out = directory.resolve("run");
        GrpoTrainer.Outcome outcome = new GrpoTrainer(spark, config(out), System.out::println).train(false);
        assertEquals(2, outcome.iterations());
        List<Row> perPrompt = RolloutStore.read(spark, out.toString()).groupBy("iteration", "id").count().collectAsList();
        assertEquals(8, perPrompt.size());
        perPrompt.forEach(row -> assertEquals(4L, row.getLong(2), row.toString()));
    }
}
