package ai.videorl.jobs;

import ai.djl.Device;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.qwen.QwenPolicy;
import ai.videorl.cluster.store.CheckpointStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code demo} end to end through the real launcher, shrunk to seconds; and a misspelt setting. */
class LauncherDemoIT {

    @TempDir
    Path directory;

    @Test
    void aTinyDemoRunsEveryStageAndWritesItsSummary() throws Exception {
        Path out = directory.resolve("demo");
        Launcher.Run demo = Launcher.run("demo", "--out", out.toString(), "--recipe", "video-r2", "--train-videos", "2",
                "--held-out-videos", "1", "--perception-steps", "2", "--caption-steps", "2", "--sft-steps", "4", "--iterations", "2",
                "--set", "rollout.group_size=2", "--set", "data.prompts_per_step=2", "--set", "rollout.max_new_tokens=16",
                "--set", "model.width=16", "--set", "model.layers=1", "--set", "model.heads=2", "--set", "sft.batch_size=4");
        assertEquals(0, demo.status(), demo.stderr());
        List<String> lines = demo.stdout().lines().toList();
        assertEquals("run: " + out, lines.get(lines.size() - 1));
        assertTrue(demo.stdout().contains("warm start (SFT): held-out accuracy"), demo.stdout());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("video-r2", summary.get("recipe").asText());
        assertEquals(2, summary.get("iterations").asInt());
        assertEquals(5, summary.get("held_out_prompts").asInt());
        assertEquals(2, summary.get("caption_steps").asInt());
        assertEquals(4, summary.get("sft_steps").asInt());
        assertEquals(2, summary.get("perception_steps").asInt());
        List<String> sft = Files.readAllLines(out.resolve("sft/metrics.jsonl"));
        assertEquals(8, sft.size());
        assertTrue(sft.subList(0, 2).stream().allMatch(line -> line.contains("\"sft/perception_loss\"")),
                "the warm start began with its perception steps");
        assertTrue(sft.subList(2, 4).stream().allMatch(line -> line.contains("\"sft/caption_loss\"")), "then its caption steps");
        for (String stage : List.of("warm_start", "grpo")) {
            double accuracy = summary.get(stage).get("accuracy").asDouble(-1);
            assertTrue(accuracy >= 0 && accuracy <= 1, stage + " accuracy " + accuracy);
            assertTrue(summary.get(stage).has("mean_reward"), stage);
        }
        JsonNode gain = summary.get("gain");
        assertEquals(5, gain.get("paired_prompts").asInt());
        for (String measure : List.of("accuracy", "mean_reward")) {
            // Every held-out question was answered twice, so the mean paired difference is the difference of the means.
            assertEquals(summary.get("grpo").get(measure).asDouble() - summary.get("warm_start").get(measure).asDouble(),
                    gain.get(measure).get("mean").asDouble(), 1e-9, measure);
            assertTrue(gain.get(measure).get("standard_error").asDouble() >= 0, measure);
        }
        assertTrue(demo.stdout().contains("GRPO's gain, paired over the 5 held-out questions: accuracy "), demo.stdout());
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains(String.format(Locale.ROOT, "GRPO's gain, paired over the 5 held-out questions: accuracy %+.3f",
                gain.get("accuracy").get("mean").asDouble())), "the report shows the paired gain");
        assertTrue(summary.get("wall_s").asDouble() > 0);
        assertEquals(2, Files.readAllLines(out.resolve("grpo/metrics.jsonl")).size());
        assertTrue(Files.exists(out.resolve("grpo/rollouts/iteration=2")));
        assertTrue(Files.exists(out.resolve("grpo/checkpoints/iteration-00000002/_COMMITTED")));

        // generate takes the demo's directory as its GRPO run's tiny policy; greedy answers repeat.
        Path video;
        try (var videos = Files.walk(out)) {
            video = videos.filter(path -> path.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
        Path json = directory.resolve("answer.json");
        Launcher.Run generate = Launcher.run("generate", "--model", out.toString(), "--video", video.toString(),
                "--prompt", "What is shown?", "--max-new-tokens", "12", "--json", json.toString());
        assertEquals(0, generate.status(), generate.stderr());
        assertTrue(generate.stderr().contains("tiny policy of " + out.resolve("grpo/checkpoints/iteration-00000002")),
                generate.stderr());
        JsonNode answer = new ObjectMapper().readTree(json.toFile());
        List<String> fields = new ArrayList<>();
        answer.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("prompt_ids", "response_ids", "response", "logprobs", "video_grid_thw", "frame_indices"), fields);
        assertTrue(answer.get("response_ids").size() <= 12);
        assertEquals(answer.get("response_ids").size(), answer.get("logprobs").size());
        assertEquals(answer.get("video_grid_thw").get(0).asInt(), answer.get("frame_indices").size(), "one index per frame");
        assertEquals(answer.get("response").asText() + "\n", generate.stdout());
        Launcher.Run again = Launcher.run("generate", "--model", out.toString(), "--video", video.toString(),
                "--prompt", "What is shown?", "--max-new-tokens", "12");
        assertEquals(generate.stdout(), again.stdout(), "greedy decoding is deterministic");
    }

    @Test
    void aQwenDemoTrainsEveryWeightOfARandomBaseAndExportsIt() throws Exception {
        Path out = directory.resolve("qwen-demo");
        Launcher.Run demo = Launcher.run("demo", "--model", "qwen2_5_vl", "--recipe", "videop2r", "--out", out.toString(), "--train-videos", "2",
                "--held-out-videos", "1", "--caption-steps", "1", "--sft-steps", "2", "--iterations", "2", "--set", "rollout.group_size=2",
                "--set", "data.prompts_per_step=2", "--set", "rollout.max_new_tokens=8", "--set", "sft.batch_size=4");
        assertEquals(0, demo.status(), demo.stderr());
        assertTrue(demo.stdout().contains("qwen2_5_vl, every weight of " + out.resolve("base")), demo.stdout());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("qwen2_5_vl", summary.get("model").asText());
        assertEquals(0, summary.get("perception_steps").asInt());
        assertEquals(3, Files.readAllLines(out.resolve("sft/metrics.jsonl")).size());
        assertEquals(2, Files.readAllLines(out.resolve("grpo/metrics.jsonl")).size());
        assertTrue(Files.isRegularFile(out.resolve("base/model.safetensors")) && Files.isRegularFile(out.resolve("base/tokenizer.json")));
        PolicyWeights trained = new CheckpointStore(out.resolve("grpo").toString(), new Configuration(), 1).latest().checkpoint()
                .orElseThrow().weights();
        assertTrue(trained.spec() instanceof FullModelSpec, trained.spec().toString());

        Path video;
        try (var videos = Files.walk(out.resolve("data/held-out"))) {
            video = videos.filter(path -> path.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
        Launcher.Run generate = Launcher.run("generate", "--model", out.toString(), "--video", video.toString(),
                "--prompt", "What is shown?", "--max-new-tokens", "6");
        assertEquals(0, generate.status(), generate.stderr());
        assertTrue(generate.stderr().contains("Qwen2.5-VL " + out.resolve("base")), generate.stderr());

        Launcher.Run adapters = Launcher.run("export", "--checkpoint", out.resolve("grpo").toString(), "--out",
                directory.resolve("adapters").toString());
        assertEquals(VideoRl.USER_ERROR_EXIT, adapters.status(), adapters.stdout());
        assertTrue(adapters.stderr().contains("it has no adapters, and exports as a whole checkpoint with --merged"), adapters.stderr());
        Path exported = directory.resolve("exported");
        Launcher.Run export = Launcher.run("export", "--checkpoint", out.resolve("grpo").toString(), "--merged", "--out", exported.toString());
        assertEquals(0, export.status(), export.stderr());
        for (String file : List.of("config.json", "tokenizer.json", "chat_template.json", "preprocessor_config.json")) {
            assertEquals(Files.readString(out.resolve("base").resolve(file)), Files.readString(exported.resolve(file)), file);
        }
        try (QwenPolicy reloaded = QwenPolicy.load(exported, Device.cpu(), ModelDtype.FLOAT32)) {
            assertArrayEquals(trained.values(), reloaded.trainableWeights(0).values(), "the float32 base holds the trained weights exactly");
        }
    }

    @Test
    void aMisspeltSettingFailsNamingTheKeyItMeant() throws Exception {
        Launcher.Run train = Launcher.run("train", "--out", directory.resolve("run").toString(), "--set", "grpo.kl_coeff=0.1");
        assertEquals(2, train.status(), train.stdout());
        assertTrue(train.stderr().contains("unknown key 'grpo.kl_coeff' (did you mean 'grpo.kl_coef'?)"), train.stderr());
    }

    @Test
    void aMissingInputFailsNamingItsKeyBeforeSparkStarts() throws Exception {
        Path manifest = Files.writeString(directory.resolve("manifest.jsonl"), "{}\n");
        Launcher.Run sft = Launcher.run("sft", "--out", directory.resolve("sft").toString(), "--set", "data.train=" + manifest,
                "--set", "data.references=" + directory.resolve("references.jsonl"));
        assertEquals(2, sft.status(), sft.stdout());
        assertTrue(sft.stderr().contains("videorl sft: data.references: " + directory.resolve("references.jsonl") + " does not exist"),
                sft.stderr());
        assertFalse(sft.stderr().contains("SparkContext"), "no Spark session was started: " + sft.stderr());
        assertFalse(sft.stderr().contains("\tat "), "no stack trace");
    }
}
