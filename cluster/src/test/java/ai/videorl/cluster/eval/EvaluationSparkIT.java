package ai.videorl.cluster.eval;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.train.SftTrainer;
import ai.videorl.common.data.Sample;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.metric.TaskMetrics;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval} on local[2] with a tiny SFT checkpoint: the report's figures are what a hand
 * count of the responses it wrote gives, and the early exit stops where the full decode's
 * confidence says it would, never generating more.
 */
class EvaluationSparkIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path manifest;
    private static Path checkpoint;
    private static JsonNode full;

    @BeforeAll
    static void warmUp() throws Exception {
        Path data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 4, 21, VideoFormat.DEFAULT, 2));
        manifest = data.resolve(SynthWriter.MANIFEST);
        checkpoint = directory.resolve("sft");
        new SftTrainer(LocalSpark.session(), TrainingConfigLoader.load(null, "test", List.of(
                "data.train=" + manifest, "data.references=" + data.resolve(SynthWriter.REFERENCES), "run.out=" + checkpoint,
                "rollout.max_new_tokens=48", "rollout.partitions=2", "model.width=32", "model.layers=2", "model.heads=2",
                "model.max_length=160", "sft.steps=150", "sft.batch_size=20", "sft.lr=3e-3", "sft.warmup_steps=5")),
                System.out::println).train();
        full = evaluate("full", false, 0.97);
    }

    private static JsonNode evaluate(String name, boolean earlyExit, double tau) throws Exception {
        return evaluate(name, earlyExit, tau, null);
    }

    private static JsonNode evaluate(String name, boolean earlyExit, double tau, String baseline) throws Exception {
        Path report = directory.resolve(name + ".json");
        Evaluation.run(LocalSpark.session(), new EvalOptions(checkpoint.toString(), manifest.toString(), earlyExit, tau,
                List.of(0.0, 0.5), report.toString(), directory.resolve(name).toString(), baseline, List.of()));
        return JSON.readTree(report.toFile());
    }

    private static List<Row> responses(String name) {
        return LocalSpark.session().read().parquet(directory.resolve(name).toString()).collectAsList();
    }

    @Test
    void aDemoDirectoryIsTakenAsItsGrpoRun() throws Exception {
        // A demo's layout: its run: line names the directory; the GRPO run is in grpo/.
        Path demo = Files.createDirectories(directory.resolve("demo"));
        Files.createSymbolicLink(demo.resolve(RunFiles.DEMO_GRPO_RUN), checkpoint);
        EvalCheckpoint resolved = EvalCheckpoint.resolve(demo.toString(), List.of(), new Configuration());
        assertEquals(demo.resolve(RunFiles.DEMO_GRPO_RUN).toString(), resolved.run());
        assertEquals(EvalCheckpoint.resolve(checkpoint.toString(), List.of(), new Configuration()).loaded().iteration(),
                resolved.loaded().iteration());
        VideoRlException empty = assertThrows(VideoRlException.class, () -> EvalCheckpoint.resolve(
                Files.createDirectories(directory.resolve("empty")).toString(), List.of(), new Configuration()));
        assertTrue(empty.getMessage().contains("has no committed checkpoint"), empty.getMessage());
    }

    @Test
    void theReportIsAHandCountOfTheResponsesItWrote() throws Exception {
        JsonNode report = full;
        Map<String, double[]> sums = new TreeMap<>(); // type -> accuracy, tokens, thought, count
        VideoAutoR1 recipe = new VideoAutoR1();
        for (Row row : responses("full")) {
            Sample sample = SampleRows.fromRow(row);
            String response = row.getAs("response");
            double accuracy = TaskMetrics.forType(sample.problemType()).scoreExtracted(recipe.parse(response).finalAnswer(), sample);
            double[] sum = sums.computeIfAbsent(row.<String>getAs("problem_type"), type -> new double[4]);
            sum[0] += accuracy;
            sum[1] += row.getList(row.fieldIndex("response_ids")).size();
            sum[2] += response.contains("<think>") ? 1 : 0;
            sum[3]++;
        }
        assertEquals(sums.keySet().size(), report.get("by_type").size(), report.toString());
        double all = 0;
        for (Map.Entry<String, double[]> type : sums.entrySet()) {
            JsonNode scores = report.get("by_type").get(type.getKey());
            double[] sum = type.getValue();
            assertEquals(sum[3], scores.get("n").asDouble(), type.getKey());
            assertEquals(sum[0] / sum[3], scores.get("accuracy").asDouble(), 1e-9, type.getKey());
            assertEquals(sum[1] / sum[3], scores.get("tokens_per_answer").asDouble(), 1e-9, type.getKey());
            assertEquals(sum[2] / sum[3], scores.get("think_rate").asDouble(), 1e-9, type.getKey());
            all += sum[0];
        }
        assertEquals(20, report.get("overall").get("n").asInt());
        assertEquals(all / 20, report.get("overall").get("accuracy").asDouble(), 1e-9);
        assertTrue(report.get("by_type").get("temporal_grounding").has("iou"), report.toString());
        assertEquals(2, report.get("sweep").size());
    }

    @Test
    void theEarlyExitStopsWhereTheFullDecodeSaysAndNeverGeneratesMore() throws Exception {
        // τ = 0: every first answer that is not the fallback phrase is confident enough, so some rows do exit.
        JsonNode early = evaluate("early", true, 0.0);
        Map<String, String> fullResponses = new HashMap<>();
        for (Row row : responses("full")) {
            fullResponses.put(row.getAs("id"), row.getAs("response"));
        }
        int exited = 0;
        for (Row row : responses("early")) {
            String fullResponse = fullResponses.get(row.<String>getAs("id"));
            String earlyResponse = row.getAs("response");
            assertTrue(fullResponse.startsWith(earlyResponse), "the early exit's '" + earlyResponse + "' is not where '"
                    + fullResponse + "' starts");
            exited += row.<Boolean>getAs("exited_early") ? 1 : 0;
        }
        assertTrue(exited > 0, "no response exited early at τ = 0: " + fullResponses.values());
        JsonNode atZero = full.get("sweep").get(0);
        assertEquals(0.0, atZero.get("tau").asDouble());
        assertEquals(atZero.get("accuracy").asDouble(), early.get("overall").get("accuracy").asDouble(), 1e-9);
        assertEquals(atZero.get("tokens_per_answer").asDouble(), early.get("overall").get("tokens_per_answer").asDouble(), 1e-9);
        assertEquals(atZero.get("think_rate").asDouble(), early.get("overall").get("think_rate").asDouble(), 1e-9);
        assertTrue(early.get("overall").get("tokens_per_answer").asDouble() < full.get("overall").get("tokens_per_answer").asDouble());
    }

    @Test
    void aBaselineGivesTheGainQuestionByQuestion() throws Exception {
        // The early exit at τ = 0 answers some questions differently from the full decode it is compared with.
        String fullAnswers = directory.resolve("full").toString();
        JsonNode early = evaluate("against-full", true, 0.0, fullAnswers);
        Map<String, List<Double>> before = new HashMap<>();
        for (Row row : responses("full")) {
            before.put(row.getAs("id"), List.of(row.getAs("answer_accuracy"), row.getAs("reward_total")));
        }
        double changed = 0;
        for (Row row : responses("against-full")) {
            List<Double> first = before.get(row.<String>getAs("id"));
            changed += Math.abs(row.<Double>getAs("answer_accuracy") - first.get(0)) > 1e-9
                    || Math.abs(row.<Double>getAs("reward_total") - first.get(1)) > 1e-9 ? 1 : 0;
        }
        assertTrue(changed > 0, "the early exit changed no score, so the comparison would show nothing");
        JsonNode gain = early.get("gain");
        assertEquals(20, gain.get("paired_prompts").asInt(), early.toString());
        assertEquals(early.get("overall").get("accuracy").asDouble() - full.get("overall").get("accuracy").asDouble(),
                gain.get("accuracy").get("mean").asDouble(), 1e-9);
        assertEquals(early.get("overall").get("mean_reward").asDouble() - full.get("overall").get("mean_reward").asDouble(),
                gain.get("mean_reward").get("mean").asDouble(), 1e-9);
        assertEquals(changed / 20, gain.get("changed").asDouble(), 1e-9);
        assertEquals(fullAnswers, early.get("baseline").asText());
        assertFalse(full.has("gain"), "no baseline, no gain");

        VideoRlException missing = assertThrows(VideoRlException.class,
                () -> evaluate("against-nothing", false, 0.97, directory.resolve("no-such-eval").toString()));
        assertTrue(missing.getMessage().contains("--baseline") && missing.getMessage().contains("no-such-eval"), missing.getMessage());
        VideoRlException unwritten = assertThrows(VideoRlException.class, () -> new EvalOptions(checkpoint.toString(),
                manifest.toString(), false, 0.97, List.of(), "report.json", null, fullAnswers, List.of()));
        assertTrue(unwritten.getMessage().contains("--responses"), unwritten.getMessage());
        VideoRlException overwritten = assertThrows(VideoRlException.class, () -> new EvalOptions(checkpoint.toString(),
                manifest.toString(), false, 0.97, List.of(), "report.json", fullAnswers, fullAnswers, List.of()));
        assertTrue(overwritten.getMessage().contains("overwrite"), overwritten.getMessage());
    }
}
