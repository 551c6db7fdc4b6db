package ai.videorl.cluster.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.PrepareOptions;
import ai.videorl.cluster.data.Preparation;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.eval.EvalOptions;
import ai.videorl.cluster.eval.Evaluation;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.FullModelSpec;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.cluster.model.hf.BaseChecksum;
import ai.videorl.cluster.model.qwen.CheckpointRewrite;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlConfig;
import ai.videorl.cluster.model.qwen.QwenFixtures;
import ai.videorl.cluster.model.qwen.QwenPolicy;
import ai.videorl.cluster.model.qwen.QwenPolicyProcessor;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.common.data.Sample;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.synth.VideoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRA on a pretrained Qwen2.5-VL end to end on local[2]: a tiny random checkpoint with the real
 * tokenizer, synthetic videos prepared as {@code prepare} does, SFT of fresh adapters on their
 * references, three GRPO iterations from them (the reference policy is the base with SFT's
 * adapters, on the executors' one copy of the base; LoRA dropout 0.1 in every training pass), a
 * resumed run that reaches the same adapters, an evaluation of the trained run, and adapters
 * exported as PEFT writes them that score the rollouts as the executors did.
 */
class QwenLoraSparkIT {

    private static final int GROUP = 4;
    private static final int PROMPTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;
    private static Path base;
    private static Path data;
    private static Path prepared;
    private static Path sft;
    private static Path trained;

    @BeforeAll
    static void warmUpAndTrain() throws Exception {
        base = QwenFixtures.endToEndCheckpoint(directory.resolve("base"));
        data = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(data.toString(), 2, 11, VideoFormat.DEFAULT, 2));
        prepared = directory.resolve("prepared");
        Preparation.Summary summary = Preparation.run(LocalSpark.session(), new PrepareOptions(data.resolve(SynthWriter.MANIFEST).toString(),
                prepared.toString(), FrameSamplingConfig.DEFAULTS, VideoCacheConfig.defaults(), 2, OptionalDouble.empty(), false));
        assertEquals(0, summary.quarantined(), summary.toString());
        sft = directory.resolve("sft");
        new SftTrainer(LocalSpark.session(), config(sft, "data.references=" + data.resolve(SynthWriter.REFERENCES),
                "sft.steps=2", "sft.batch_size=4", "sft.lr=1e-3", "sft.warmup_steps=1"), System.out::println).train();
        trained = directory.resolve("trained");
        new GrpoTrainer(LocalSpark.session(), config(trained, "model.init=" + sft, "run.iterations=3"), System.out::println).train(false);
    }

    static TrainingConfig config(Path out, String... more) {
        List<String> overrides = new ArrayList<>(List.of(
                "model.architecture=qwen2_5_vl", "model.path=" + base, "model.lora.rank=4", "model.lora.alpha=8",
                "model.lora.dropout=0.1", "data.train=" + prepared, "run.out=" + out, "run.checkpoint_every=1",
                "data.prompts_per_step=" + PROMPTS, "rollout.group_size=" + GROUP, "rollout.max_new_tokens=12", "rollout.partitions=2",
                "video.frame_size=56", "video.max_frames=4", "grpo.kl_coef=0.01", "optimizer.lr=1e-2"));
        overrides.addAll(List.of(more));
        return TrainingConfigLoader.load(null, "test", overrides);
    }

    private static PolicyWeights finalWeights(Path run) throws Exception {
        return new CheckpointStore(run.toString(), new Configuration(), 1).latest().checkpoint().orElseThrow().weights();
    }

    private static Dataset<Row> rollouts(Path run) {
        return RolloutStore.read(LocalSpark.session(), run.toString());
    }

    /** Each rollout's response by (iteration, prompt, sample). */
    private static Map<String, String> responses(Path run) {
        Map<String, String> responses = new HashMap<>();
        for (Row row : rollouts(run).select("iteration", "id", "sample_index", "response").collectAsList()) {
            responses.put(row.getInt(0) + "/" + row.getString(1) + "/" + row.getInt(2), row.getString(3));
        }
        return responses;
    }

    @Test
    void checkpointsHoldAdaptersOfTheBaseTheyWereTrainedOn() throws Exception {
        PolicyWeights weights = finalWeights(trained);
        AdapterSpec spec = assertInstanceOf(weights);
        assertEquals(PolicyArchitecture.QWEN2_5_VL, spec.architecture());
        assertEquals(BaseChecksum.of(base), spec.baseChecksum());
        assertEquals(4, spec.rank());
        assertEquals(3, weights.version());
        assertTrue(weights.names().stream().allMatch(name -> name.startsWith("base_model.model.model.language_model.layers.")
                && (name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight"))), weights.names().toString());
        // The default targets: seven projections in every layer, A and B each.
        assertEquals(0, weights.names().size() % 14, weights.names().toString());
        PolicyWeights warm = finalWeights(sft);
        assertFalse(java.util.Arrays.equals(warm.values(), weights.values()), "GRPO changed the adapters");
    }

    @Test
    void everyIterationStoresGRolloutsPerPromptDecodedByTheRealTokenizer() throws Exception {
        Dataset<Row> table = rollouts(trained);
        assertEquals(3L * PROMPTS * GROUP, table.count());
        for (Row row : table.select("response_ids", "log_probs", "response_length", "response").collectAsList()) {
            assertEquals(row.getInt(2), row.getList(0).size());
            assertEquals(row.getInt(2), row.getList(1).size());
            assertTrue(row.getList(0).stream().allMatch(id -> (Integer) id >= 0 && (Integer) id < 151_936), row.toString());
        }
        List<String> metrics = Files.readAllLines(trained.resolve("metrics.jsonl"));
        assertEquals(3, metrics.size());
        JsonNode last = JSON.readTree(metrics.get(2));
        assertEquals(3.0, last.get("actor/weight_version").asDouble());
        assertTrue(last.get("actor/kl_loss").isNumber(), metrics.get(2));
    }

    @Test
    void aResumedRunReachesTheSameAdaptersAsAnUninterruptedOne() throws Exception {
        Path resumed = directory.resolve("resumed");
        new GrpoTrainer(LocalSpark.session(), config(resumed, "model.init=" + sft, "run.iterations=2"), System.out::println).train(false);
        new GrpoTrainer(LocalSpark.session(), config(resumed, "model.init=" + sft, "run.iterations=3"), System.out::println).train(true);
        assertEquals(responses(trained), responses(resumed));
        assertArrayEquals(finalWeights(trained).values(), finalWeights(resumed).values(), 1e-6f);
    }

    @Test
    void theTrainedRunEvaluatesWithAndWithoutTheEarlyExit() throws Exception {
        for (boolean earlyExit : new boolean[] {false, true}) {
            String name = earlyExit ? "eval-early" : "eval";
            Path report = directory.resolve(name + ".json");
            Evaluation.run(LocalSpark.session(), new EvalOptions(trained.toString(), data.resolve(SynthWriter.MANIFEST).toString(),
                    earlyExit, 0.97, List.of(), report.toString(), directory.resolve(name).toString(), null, List.of()));
            JsonNode json = JSON.readTree(report.toFile());
            assertTrue(json.toString().contains("accuracy"), json.toString());
            assertEquals(10, LocalSpark.session().read().parquet(directory.resolve(name).toString()).count(), "every sample answered");
        }
    }

    @Test
    void anExportedAdapterScoresTheRolloutsAsTheExecutorsDid() throws Exception {
        // Iteration 3's rollouts came from the weights of checkpoint 2, on the executors' shards of the shared base.
        PolicyWeights version2 = CheckpointStore.readCommitted(trained.resolve("checkpoints/iteration-00000002").toString(),
                new Configuration()).weights();
        Path adapter = directory.resolve("exported");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            LoraAdapters.ofCheckpoint(version2, base, Qwen25VlConfig.read(base.resolve("config.json")), manager)
                    .writePeft(adapter, base.toString());
        }
        TrainingConfig config = config(trained);
        QwenPolicyProcessor processor = (QwenPolicyProcessor) StageContext.forPolicy(config, null, version2.spec(),
                VideoCacheConfig.defaults(), new SerializableConfiguration(new Configuration())).processor();
        List<Row> rows = rollouts(trained).where(col("iteration").equalTo(3)).orderBy("id", "sample_index").limit(3).collectAsList();
        try (QwenPolicy exported = QwenPolicy.load(base, adapter, Device.cpu(), ModelDtype.FLOAT32)) {
            for (Row row : rows) {
                Sample sample = SampleRows.fromRow(row);
                int[] response = row.<Integer>getList(row.fieldIndex("response_ids")).stream().mapToInt(Integer::intValue).toArray();
                double[] expected = row.getList(row.fieldIndex("log_probs")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                double[] actual = exported.score(processor.inputs(processor.userText(sample), sample.video()), new int[][] {response},
                        config.rollout().toDecoding().scoringTemperature()).logProbs()[0];
                assertArrayEquals(expected, actual, 1e-4, "rollout " + row.getAs("id") + "/" + row.getAs("sample_index"));
            }
        }
    }

    @Test
    void anAdapterOfAnotherBaseIsRefusedBeforeAnyWork() throws Exception {
        Path other = QwenFixtures.endToEndCheckpoint(directory.resolve("other"));
        byte[] config = Files.readAllBytes(other.resolve("config.json"));
        Files.write(other.resolve("config.json"), (new String(config) + "\n").getBytes());
        Path run = directory.resolve("other-run");
        VideoRlException refused = assertThrows(VideoRlException.class, () -> new GrpoTrainer(LocalSpark.session(),
                config(run, "model.init=" + sft, "model.path=" + other), System.out::println).train(false));
        assertTrue(refused.getMessage().contains("they apply only to the base they were trained on"), refused.getMessage());
        assertFalse(Files.exists(run.resolve("metrics.jsonl")));
    }

    @Test
    void aTargetThatNamesNoProjectionIsRefused() {
        Path run = directory.resolve("no-target");
        VideoRlException refused = assertThrows(VideoRlException.class, () -> new GrpoTrainer(LocalSpark.session(),
                config(run, "model.lora.targets=q_proj,qproj"), System.out::println).train(false));
        assertTrue(refused.getMessage().contains("'qproj' names no linear projection"), refused.getMessage());
        assertTrue(refused.getMessage().contains("q_proj"), refused.getMessage());
    }

    @Test
    void fullFineTuningTrainsEveryWeightAndExportsThemAsACheckpoint() throws Exception {
        Path fullSft = directory.resolve("full-sft");
        Path full = directory.resolve("full");
        new SftTrainer(LocalSpark.session(), config(fullSft, "model.finetune=full", "data.references=" + data.resolve(SynthWriter.REFERENCES),
                "sft.steps=1", "sft.batch_size=4", "sft.lr=1e-3", "sft.warmup_steps=1"), System.out::println).train();
        new GrpoTrainer(LocalSpark.session(), config(full, "model.finetune=full", "model.init=" + fullSft, "run.iterations=2",
                "optimizer.lr=1e-3"), System.out::println).train(false);
        PolicyWeights weights = finalWeights(full);
        assertEquals(new FullModelSpec(PolicyArchitecture.QWEN2_5_VL, base.toString(), BaseChecksum.of(base)), weights.spec());
        try (QwenPolicy start = QwenPolicy.load(base, Device.cpu(), ModelDtype.FLOAT32)) {
            TrainableWeights original = start.trainableWeights(0);
            assertEquals(original.names(), weights.names(), "every weight of the base, in the released layout");
            Map<String, float[]> before = byName(original);
            Map<String, float[]> after = byName(weights.trainable());
            for (String name : List.of("visual.blocks.0.attn.qkv.weight", "model.embed_tokens.weight",
                    "model.layers.1.mlp.down_proj.weight", "model.norm.weight")) {
                assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " trained");
            }
        }
        assertEquals(2L * PROMPTS * GROUP, rollouts(full).count());

        Path exported = directory.resolve("full-exported");
        CheckpointRewrite.writeTrained(base, weights.trainable(), exported);
        try (QwenPolicy reloaded = QwenPolicy.load(exported, Device.cpu(), ModelDtype.FLOAT32)) {
            float[] expected = weights.values();
            float[] actual = reloaded.trainableWeights(0).values();
            for (int i = 0; i < expected.length; i++) {
                // The base is BF16: each value rounds once, to 8 significant bits.
                assertEquals(expected[i], actual[i], Math.abs(expected[i]) / 256 + 1e-30, "value " + i);
            }
        }
        VideoRlException refused = assertThrows(VideoRlException.class, () -> new GrpoTrainer(LocalSpark.session(),
                config(directory.resolve("lora-from-full"), "model.init=" + fullSft), System.out::println).train(false));
        assertTrue(refused.getMessage().contains("holds every weight of a qwen2_5_vl, but model.finetune lora trains LoRA adapters"),
                refused.getMessage());
    }

    private static Map<String, float[]> byName(TrainableWeights weights) {
        Map<String, float[]> tensors = new HashMap<>();
        List<float[]> values = weights.tensors();
        for (int t = 0; t < weights.names().size(); t++) {
            tensors.put(weights.names().get(t), values.get(t));
        }
        return tensors;
    }

    private static AdapterSpec assertInstanceOf(PolicyWeights weights) {
        assertTrue(weights.spec() instanceof AdapterSpec, weights.spec().toString());
        return (AdapterSpec) weights.spec();
    }
}
