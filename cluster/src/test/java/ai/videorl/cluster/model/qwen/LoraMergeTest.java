package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.common.error.VideoRlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static ai.videorl.cluster.model.qwen.ModelCase.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Merged exports against peft 0.21.0's {@code merge_and_unload} ({@code scripts/qwen-fixtures/generate_lora.py}):
 * the merged weights as PEFT makes them (BF16 included), the merged model computing what the
 * adapted one does, the rest of the checkpoint unchanged byte for byte.
 */
class LoraMergeTest {



    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"gqa4-untied-sharded", "bf16-real-vocab"})
    void mergingAFreshAdapterRewritesTheBaseByteForByte(String base) throws IOException {
        Path baseDirectory = ModelCase.MODELS.resolve(base);
        try (ModelCase fixture = ModelCase.open(base); NDManager scope = fixture.model().manager().newSubManager()) {
            LoraAdapters fresh = LoraAdapters.fresh(fixture.model().config(), List.of("model.layers.0.self_attn.q_proj",
                    "model.layers.1.mlp.down_proj", "visual.blocks.0.attn.qkv"), 4, 8, 3, scope);
            Path out = directory.resolve("merged");
            LoraMerge.write(baseDirectory, fresh, out);
            List<Path> written = list(out);
            assertFalse(written.isEmpty());
            for (Path file : written) {
                assertArrayEquals(Files.readAllBytes(baseDirectory.resolve(file.getFileName())), Files.readAllBytes(file),
                        base + ": " + file.getFileName() + " (B = 0 changes no weight)");
            }
            assertTrue(written.stream().anyMatch(file -> file.getFileName().toString().equals("config.json")));
            assertFalse(Files.exists(directory.resolve("merged.partial")));
        }
    }

    @Test
    void mergedBf16WeightsAreThoseMergeAndUnloadMakes() throws IOException {
        Path baseDirectory = ModelCase.MODELS.resolve("bf16-real-vocab");
        Path out = directory.resolve("merged");
        try (ModelCase fixture = ModelCase.open("bf16-real-vocab"); NDManager scope = fixture.model().manager().newSubManager();
             Safetensors reference = Safetensors.open(ModelCase.LORA.resolve("bf16-merge").resolve("reference.safetensors"))) {
            LoraAdapters adapters = LoraAdapters.readPeft(ModelCase.LORA.resolve("bf16-merge").resolve("adapter"), fixture.model().config(), scope);
            LoraMerge.write(baseDirectory, adapters, out);
            int compared = 0;
            try (Safetensors merged = Safetensors.open(out); Safetensors original = Safetensors.open(baseDirectory)) {
                for (String name : reference.entries().keySet()) {
                    if (name.startsWith("merged/")) {
                        String tensor = name.substring("merged/".length());
                        assertEquals(reference.entry(name).type(), merged.entry(tensor).type(), tensor + " keeps its dtype");
                        assertEquals(bytes(reference.bytes(name)).length, bytes(merged.bytes(tensor)).length);
                        assertArrayEquals(bytes(reference.bytes(name)), bytes(merged.bytes(tensor)), tensor);
                        assertFalse(java.util.Arrays.equals(bytes(original.bytes(tensor)), bytes(merged.bytes(tensor))),
                                tensor + " changed");
                        compared++;
                    }
                }
                assertEquals(6, compared);
                assertArrayEquals(bytes(original.bytes("model.embed_tokens.weight")), bytes(merged.bytes("model.embed_tokens.weight")));
            }
        }
    }

    @Test
    void theMergedModelComputesWhatTheAdaptedOneDoes() throws IOException {
        Path out = directory.resolve("merged");
        try (ModelCase fixture = ModelCase.open("small-tied"); NDManager scope = fixture.model().manager().newSubManager();
             Safetensors reference = Safetensors.open(ModelCase.LORA.resolve("lm-all").resolve("reference.safetensors"))) {
            LoraAdapters adapters = LoraAdapters.readPeft(ModelCase.LORA.resolve("lm-all").resolve("adapter"), fixture.model().config(), scope);
            LoraMerge.write(ModelCase.MODELS.resolve("small-tied"), adapters, out);
            try (Qwen25VlModel merged = Qwen25VlModel.load(out, Device.cpu())) {
                float[] logProbs = merged.responseLogProbs(fixture.prompts(scope), fixture.ints("response_ids"), scope).toFloatArray();
                assertClose("merged model's response log-probs", reference.floats("response_logprobs"), logProbs);
            }
        }
    }

    @Test
    void anExistingDirectoryIsNeverWrittenOver() throws IOException {
        Path out = Files.createDirectories(directory.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        try (ModelCase fixture = ModelCase.open("small-tied"); NDManager scope = fixture.model().manager().newSubManager()) {
            LoraAdapters adapters = LoraAdapters.readPeft(ModelCase.LORA.resolve("lm-all").resolve("adapter"), fixture.model().config(), scope);
            VideoRlException error = assertThrows(VideoRlException.class,
                    () -> LoraMerge.write(ModelCase.MODELS.resolve("small-tied"), adapters, out));
            assertTrue(error.getMessage().contains(out.toString()), error.getMessage());
        }
        assertEquals(List.of(out.resolve("keep.txt")), list(out));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
