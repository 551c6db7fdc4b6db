package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.videorl.cluster.model.AdapterSpec;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.BatchShape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static ai.videorl.cluster.model.qwen.ModelCase.GRADIENT_RELATIVE;
import static ai.videorl.cluster.model.qwen.ModelCase.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRA adapters against peft 0.21.0 on the tiny checkpoints ({@code scripts/qwen-fixtures/generate_lora.py}):
 * an adapter PEFT saved computes PEFT's log-probabilities and gradients, is written back byte for
 * byte as PEFT writes it, and a fresh one leaves the model as it was.
 */
class LoraAdaptersTest {

    private static final List<String> LM_TARGETS = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");


    @TempDir
    Path directory;

    @ParameterizedTest
    @CsvSource({"lm-all, small-tied", "lm-and-vision, other-layout"})
    void aPeftAdapterComputesWhatPeftComputes(String adapter, String base) {
        try (ModelCase fixture = ModelCase.open(base); NDManager scope = fixture.model().manager().newSubManager();
             Safetensors reference = Safetensors.open(ModelCase.LORA.resolve(adapter).resolve("reference.safetensors"))) {
            Qwen25VlWeights weights = fixture.model().weights();
            LoraAdapters adapters = LoraAdapters.readPeft(ModelCase.LORA.resolve(adapter).resolve("adapter"), fixture.model().config(), scope);
            weights.attach(adapters);
            try {
                adapters.tensors().forEach(tensor -> tensor.setRequiresGradient(true));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logProbs = fixture.model().responseLogProbs(fixture.prompts(scope), fixture.ints("response_ids"), scope);
                    assertClose(adapter + " response log-probs", reference.floats("response_logprobs"), logProbs.toFloatArray());
                    collector.backward(logProbs.sum());
                }
                List<String> names = adapters.names();
                for (int t = 0; t < names.size(); t++) {
                    assertClose(adapter + " gradient of " + names.get(t), reference.floats("grad/" + names.get(t)),
                            adapters.tensors().get(t).getGradient().toFloatArray(), GRADIENT_RELATIVE);
                }
                assertEquals(reference.entries().keySet().stream().filter(name -> name.startsWith("grad/")).count(), names.size(),
                        "a gradient for every adapter tensor");
            } finally {
                weights.attach(null);
            }
            NDArray detached = fixture.model().responseLogProbs(fixture.prompts(scope), fixture.ints("response_ids"), scope);
            assertClose(adapter + " detached: the base's log-probs", reference.floats("base_response_logprobs"), detached.toFloatArray());
        }
    }

    @Test
    void anAdapterIsWrittenAsPeftWritesIt() throws IOException {
        Path saved = ModelCase.LORA.resolve("lm-and-vision").resolve("adapter");
        try (ModelCase fixture = ModelCase.open("other-layout"); NDManager scope = fixture.model().manager().newSubManager()) {
            LoraAdapters adapters = LoraAdapters.readPeft(saved, fixture.model().config(), scope);
            Path written = directory.resolve("export");
            adapters.writePeft(written, "qwen/models/other-layout");
            assertArrayEquals(Files.readAllBytes(saved.resolve(LoraAdapters.WEIGHTS_FILE)),
                    Files.readAllBytes(written.resolve(LoraAdapters.WEIGHTS_FILE)), "the tensor file, byte for byte");
            ObjectMapper json = new ObjectMapper();
            JsonNode peft = json.readTree(saved.resolve(LoraAdapters.CONFIG_FILE).toFile());
            JsonNode ours = json.readTree(written.resolve(LoraAdapters.CONFIG_FILE).toFile());
            for (String key : List.of("peft_type", "r", "lora_alpha", "lora_dropout", "bias", "base_model_name_or_path", "use_dora",
                    "use_rslora", "fan_in_fan_out", "modules_to_save", "task_type")) {
                assertEquals(peft.get(key), ours.get(key), key);
            }
            assertEquals(strings(peft.get("target_modules")), strings(ours.get("target_modules")), "target_modules");
            assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj",
                    "model.layers.1.self_attn.v_proj"), adapters.modules().stream().filter(m -> m.startsWith("model.")).toList());
        }
    }

    @Test
    void aFreshAdapterLeavesTheModelAsItWasAndOnlyItsBReceivesAGradient() throws IOException {
        Path checkpoint = QwenFixtures.endToEndCheckpoint(directory);
        try (QwenPolicy plain = QwenPolicy.load(checkpoint, Device.cpu(), ModelDtype.FLOAT32);
             QwenProcessor processor = QwenProcessor.load(checkpoint)) {
            Qwen25VlModel model = Qwen25VlModel.load(checkpoint, Device.cpu());
            Qwen25VlWeights weights = model.weights();
            List<String> modules = new ArrayList<>();
            for (int layer = 0; layer < model.config().text().layers(); layer++) {
                for (String target : LM_TARGETS) {
                    modules.add("model.layers." + layer + "." + target);
                }
            }
            LoraAdapters fresh = LoraAdapters.fresh(model.config(), modules, 4, 8, 11, model.manager());
            weights.attach(fresh);
            try (QwenPolicy lora = new QwenPolicy(model, plain.stopTokens())) {
                QwenPolicyInputs inputs = new QwenPolicyProcessor(processor, null, "", QwenVideoOptions.defaults().withFps(2.0)
                        .withMinPixels(3136), Path::of).inputs("What moves?", QwenFixtures.endToEndVideo().toString());
                Policy.Generation before = plain.generate(inputs, DecodingConfig.greedy(6), new long[1], StopRule.NONE);
                Policy.Generation after = lora.generate(inputs, DecodingConfig.greedy(6), new long[1], StopRule.NONE);
                assertArrayEquals(before.tokens()[0], after.tokens()[0]);
                assertArrayEquals(before.logProbs()[0], after.logProbs()[0], "B = 0: not a bit changes");

                assertEquals(fresh.names(), lora.trainableWeights(0).names(), "only the adapters train");
                int[][] response = {before.tokens()[0]};
                Policy.Gradient gradient = lora.supervisedGradient(inputs, response, new BatchShape(1, response[0].length,
                        response[0].length));
                assertEquals(fresh.tensors().stream().mapToLong(NDArray::size).sum(), gradient.values().length);
                int offset = 0;
                for (NDArray tensor : fresh.tensors()) {
                    double sum = 0;
                    for (int i = 0; i < tensor.size(); i++) {
                        sum += Math.abs(gradient.values()[offset + i]);
                    }
                    boolean isB = fresh.names().get(fresh.tensors().indexOf(tensor)).contains("lora_B");
                    // With B zero, no gradient reaches A: d(x A^T B^T)/dA = B^T (...) = 0.
                    assertTrue(isB ? sum > 0 : sum == 0, fresh.names().get(fresh.tensors().indexOf(tensor)) + ": " + sum);
                    offset += Math.toIntExact(tensor.size());
                }
                assertTrue(weights.all().values().stream().noneMatch(NDArray::hasGradient) || weights.all().values().stream()
                        .allMatch(tensor -> !tensor.hasGradient() || tensor.getGradient().abs().sum().getFloat() == 0),
                        "the base stays frozen");
            }
        }
    }

    @Test
    void dropoutDropsTheAdaptersInputsInTrainingPassesOnlyAndTheSameWayForTheSameBatchAndVersion() throws IOException {
        Path checkpoint = QwenFixtures.endToEndCheckpoint(directory.resolve("dropout"));
        try (QwenProcessor processor = QwenProcessor.load(checkpoint); Qwen25VlModel model = Qwen25VlModel.load(checkpoint, Device.cpu())) {
            List<String> modules = LoraAdapters.targetModules(model.config(), List.of("q_proj", "v_proj", "down_proj"));
            TrainableWeights fresh = LoraAdapters.fresh(model.config(), modules, 4, 8, 11, model.manager()).trainableWeights(0);
            Set<Integer> stop = QwenStopTokens.read(checkpoint);
            try (QwenPolicy plain = adapted(model, stop, fresh, 0); QwenPolicy dropping = adapted(model, stop, fresh, 0.5)) {
                QwenPolicyInputs inputs = new QwenPolicyProcessor(processor, null, "", QwenVideoOptions.defaults().withFps(2.0)
                        .withMinPixels(3136), Path::of).inputs("What moves?", QwenFixtures.endToEndVideo().toString());
                int[][] response = plain.generate(inputs, DecodingConfig.greedy(6), new long[1], StopRule.NONE).tokens();
                BatchShape shape = new BatchShape(1, response[0].length, response[0].length);
                assertArrayEquals(plain.score(inputs, response).logProbs()[0], dropping.score(inputs, response).logProbs()[0],
                        "scoring applies no dropout");
                Policy.Gradient without = plain.supervisedGradient(inputs, response, shape);
                Policy.Gradient first = dropping.supervisedGradient(inputs, response, shape);
                Policy.Gradient again = dropping.supervisedGradient(inputs, response, shape);
                // With B zero the adapters add nothing: the loss is the base's either way; B's gradient sees the dropped inputs.
                assertEquals(without.loss().loss(), first.loss().loss());
                assertFalse(java.util.Arrays.equals(without.values(), first.values()), "dropout changes the gradient");
                assertArrayEquals(first.values(), again.values(), "the same batch and version drop the same elements");
                dropping.loadTrainableWeights(new TrainableWeights(1, fresh.names(), fresh.shapes(), fresh.values()));
                assertFalse(java.util.Arrays.equals(first.values(), dropping.supervisedGradient(inputs, response, shape).values()),
                        "another version draws other masks");
            }
        }
    }

    /** Adapters holding {@code weights} with dropout {@code p}, on {@code model} shared with other policies. */
    private static QwenPolicy adapted(Qwen25VlModel model, Set<Integer> stop, TrainableWeights weights, double p) {
        NDManager memory = model.manager().newSubManager();
        AdapterSpec spec = new AdapterSpec(PolicyArchitecture.QWEN2_5_VL, "test", 0, ModelDtype.FLOAT32, 4, 8, p);
        return QwenPolicy.sharing(model, stop, LoraAdapters.of(model.config(), spec, weights, memory), weights.version(), memory);
    }

    @Test
    void aPolicyLoadsWithItsAdapterAndTrainsOnlyIt() throws IOException {
        Path adapter = ModelCase.LORA.resolve("lm-all").resolve("adapter");
        try (QwenPolicy policy = QwenPolicy.load(ModelCase.MODELS.resolve("small-tied"), adapter, Device.cpu(), ModelDtype.FLOAT32);
             Safetensors saved = Safetensors.open(adapter.resolve(LoraAdapters.WEIGHTS_FILE))) {
            assertEquals(new TreeSet<>(saved.entries().keySet()), new TreeSet<>(policy.trainableWeights(0).names()));
        }
    }

    @Test
    void targetsNameProjectionsOfEveryLayerAndTheVisionTowerOnlyWhenAskedFor() {
        Qwen25VlConfig config = Qwen25VlConfig.read(ModelCase.MODELS.resolve("small-tied").resolve("config.json"));
        int layers = config.text().layers();
        List<String> language = LoraAdapters.targetModules(config, List.of("q_proj", "gate_proj"));
        assertEquals(2 * layers, language.size(), language.toString());
        assertTrue(language.contains("model.layers.0.self_attn.q_proj") && language.contains("model.layers.0.mlp.gate_proj"), language.toString());
        assertTrue(language.stream().noneMatch(module -> module.startsWith("visual.")), "gate_proj alone leaves the vision tower alone");
        List<String> vision = LoraAdapters.targetModules(config, List.of("visual.qkv", "visual.gate_proj"));
        assertEquals(2 * config.vision().depth(), vision.size(), vision.toString());
        assertTrue(vision.contains("visual.blocks.0.attn.qkv") && vision.contains("visual.blocks.0.mlp.gate_proj"), vision.toString());
        VideoRlException unknown = assertThrows(VideoRlException.class, () -> LoraAdapters.targetModules(config, List.of("qproj")));
        assertTrue(unknown.getMessage().startsWith("model.lora.targets: 'qproj' names no linear projection of this Qwen2.5-VL; these do: "),
                unknown.getMessage());
        assertTrue(unknown.getMessage().contains("q_proj") && unknown.getMessage().contains("visual.qkv"), unknown.getMessage());
    }

    @Test
    void badAdaptersAreRefusedNamingWhatIsWrong() throws IOException {
        Path saved = ModelCase.LORA.resolve("lm-all").resolve("adapter");
        try (ModelCase other = ModelCase.open("bf16-real-vocab"); NDManager scope = other.model().manager().newSubManager()) {
            VideoRlException error = assertThrows(VideoRlException.class,
                    () -> LoraAdapters.readPeft(saved, other.model().config(), scope));
            assertTrue(error.getMessage().contains("another base"), error.getMessage());
        }
        try (ModelCase base = ModelCase.open("small-tied"); NDManager scope = base.model().manager().newSubManager()) {
            Path dora = Files.createDirectories(directory.resolve("dora"));
            Files.copy(saved.resolve(LoraAdapters.WEIGHTS_FILE), dora.resolve(LoraAdapters.WEIGHTS_FILE));
            Files.writeString(dora.resolve(LoraAdapters.CONFIG_FILE), Files.readString(saved.resolve(LoraAdapters.CONFIG_FILE))
                    .replace("\"use_dora\": false", "\"use_dora\": true"));
            VideoRlException error = assertThrows(VideoRlException.class, () -> LoraAdapters.readPeft(dora, base.model().config(), scope));
            assertTrue(error.getMessage().contains("use_dora"), error.getMessage());

            error = assertThrows(VideoRlException.class, () -> LoraAdapters.fresh(base.model().config(),
                    List.of("model.layers.0.self_attn.qq_proj"), 4, 8, 1, scope));
            assertTrue(error.getMessage().contains("model.layers.0.self_attn.qq_proj"), error.getMessage());
            error = assertThrows(VideoRlException.class, () -> LoraAdapters.fresh(base.model().config(),
                    List.of("model.layers.0.self_attn.q_proj"), 0, 8, 1, scope));
            assertTrue(error.getMessage().contains("rank"), error.getMessage());
        }
    }

    private static Set<String> strings(JsonNode array) {
        return new TreeSet<>(StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList());
    }
}
