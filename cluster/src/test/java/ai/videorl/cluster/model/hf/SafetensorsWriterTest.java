package ai.videorl.cluster.model.hf;

import ai.videorl.cluster.model.hf.SafetensorsWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static ai.videorl.cluster.model.hf.Fixtures.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer against Python: its files byte-identical to safetensors' and transformers', its
 * float16 and bfloat16 narrowing bit-identical to torch's. It also leaves a file and a sharded
 * checkpoint in target/safetensors-writer for {@code generate.py --verify}.
 */
class SafetensorsWriterTest {

    /** Where the files for the Python check go (surefire runs in the module directory). */
    private static final Path FOR_PYTHON = Path.of("target", "safetensors-writer");

    /** sharded_state_dict() of generate.py, in its order (the order decides the split). */
    private static final List<String> STATE_DICT_ORDER = List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
            "model.layers.0.self_attn.q_proj.bias", "model.layers.0.mlp.up_proj.weight", "model.norm.weight", "lm_head.weight");

    @TempDir
    Path directory;

    @Test
    void narrowingToFloat16AndBfloat16IsBitIdenticalToTorch() {
        try (Safetensors narrowing = Safetensors.open(Fixtures.resource("narrowing.safetensors"))) {
            float[] inputs = narrowing.floats("inputs");
            short[] half = Fixtures.rawShorts(narrowing.entry("inputs.as_f16"));
            short[] brain = Fixtures.rawShorts(narrowing.entry("inputs.as_bf16"));
            short[] ourHalf = shorts(Tensor.ofFloats(TensorType.F16, new long[] {inputs.length}, inputs));
            short[] ourBrain = shorts(Tensor.ofFloats(TensorType.BF16, new long[] {inputs.length}, inputs));
            int nans = 0;
            for (int i = 0; i < inputs.length; i++) {
                String input = "input " + i + " = " + Integer.toHexString(Float.floatToRawIntBits(inputs[i]));
                // float16 NaNs keep torch's CPU bits too (quiet, payload kept); for bfloat16 NaN torch's
                // kernels disagree with each other (see HalfFloats), so only NaN-ness is compared.
                assertEquals(half[i], ourHalf[i], input);
                if (Float.isNaN(inputs[i])) {
                    nans++;
                    assertTrue(Float.isNaN(HalfFloats.bfloat16ToFloat(ourBrain[i])), input);
                } else {
                    assertEquals(brain[i], ourBrain[i], input);
                }
            }
            assertTrue(inputs.length > 3000 && nans >= 6, inputs.length + " inputs, " + nans + " NaN");
        }
    }

    @Test
    void aFileIsByteIdenticalToPythonSafetensors() throws IOException {
        Path reference = Fixtures.resource("writer-reference.safetensors");
        float[] values;
        try (Safetensors python = Safetensors.open(reference)) {
            values = python.floats("b.weight");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", Tensor.ofFloats(TensorType.F32, new long[] {3, 4}, values));
        tensors.put("a.half", Tensor.ofFloats(TensorType.F16, new long[] {2, 6}, values));
        tensors.put("c.brain", Tensor.ofFloats(TensorType.BF16, new long[] {12}, values));
        tensors.put("d.ids", Tensor.ofLongs(new long[] {2, 2}, new long[] {3, -1, 1L << 40, 0}));
        tensors.put("e.scalar", Tensor.ofFloats(TensorType.F32, new long[0], new float[] {0.75f}));
        tensors.put("f.empty", Tensor.ofFloats(TensorType.BF16, new long[] {0, 2}, new float[0]));
        tensors.put("0.first", Tensor.ofFloats(TensorType.F32, new long[] {3}, new float[] {values[0], values[1], values[2]}));
        Path ours = directory.resolve("ours.safetensors");
        SafetensorsWriter.write(ours, tensors, SafetensorsWriter.PYTORCH_METADATA);
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(ours));
    }

    @Test
    void aShardedCheckpointIsByteIdenticalToTransformers() throws IOException {
        Path reference = Fixtures.resource("writer-sharded");
        Path ours = directory.resolve("checkpoint");
        SafetensorsWriter.writeSharded(ours, stateDict(), 700);
        assertEquals(fileNames(reference), fileNames(ours));
        for (String name : fileNames(reference)) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(ours.resolve(name)), name);
        }
    }

    @Test
    void whatIsWrittenReadsBackWithTheReader() throws IOException {
        float[] source = {0f, -0f, 1e-8f, -3.5f, 65519f, 1e30f, Float.NaN, Float.NEGATIVE_INFINITY, 0.1f, 1.00390625f, 2.5e-6f, 7f};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("source", Tensor.ofFloats(TensorType.F32, new long[] {3, 4}, source));
        tensors.put("source.f16", Tensor.ofFloats(TensorType.F16, new long[] {3, 4}, source));
        tensors.put("source.bf16", Tensor.ofFloats(TensorType.BF16, new long[] {3, 4}, source));
        tensors.put("ids", Tensor.ofLongs(new long[] {2}, new long[] {Long.MIN_VALUE, 151643}));
        tensors.put("scalar", Tensor.ofFloats(TensorType.BF16, new long[0], new float[] {-2f}));
        tensors.put("empty", Tensor.ofFloats(TensorType.F32, new long[] {4, 0}, new float[0]));
        Map<String, String> metadata = Map.of("format", "pt", "written_by", "SafetensorsWriterTest");
        Path file = directory.resolve("roundtrip.safetensors");
        SafetensorsWriter.write(file, tensors, metadata);
        try (Safetensors read = Safetensors.open(file)) {
            assertEquals(metadata, read.metadata());
            assertEquals(List.of("empty", "ids", "scalar", "source", "source.bf16", "source.f16"), List.copyOf(read.entries().keySet()));
            assertArrayEquals(bits(source), bits(read.floats("source")));
            float[] half = read.floats("source.f16");
            float[] brain = read.floats("source.bf16");
            for (int i = 0; i < source.length; i++) {
                assertEquals(HalfFloats.float16ToFloat(HalfFloats.floatToFloat16(source[i])), half[i]);
                assertEquals(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(source[i])), brain[i]);
            }
            assertEquals(65504f, half[4]);
            assertEquals(Float.POSITIVE_INFINITY, half[5]);
            assertArrayEquals(new long[] {Long.MIN_VALUE, 151643}, read.longs("ids"));
            assertArrayEquals(new float[] {-2f}, read.floats("scalar"));
            assertArrayEquals(new long[] {4, 0}, read.entry("empty").shape());
        }
        assertEquals(List.of("roundtrip.safetensors"), fileNames(directory));

        // For the check with Python's safetensors (generate.py --verify), by hand.
        Files.createDirectories(FOR_PYTHON);
        SafetensorsWriter.write(FOR_PYTHON.resolve("roundtrip.safetensors"), tensors, metadata);
        Map<String, Tensor> sharded = new LinkedHashMap<>(stateDict());
        stateDictSources().forEach((name, values) -> {
            sharded.put(name + ".source", Tensor.ofFloats(TensorType.F32, new long[] {values.length}, values));
            sharded.put(name + ".source.f16", Tensor.ofFloats(TensorType.F16, new long[] {values.length}, values));
            sharded.put(name + ".source.bf16", Tensor.ofFloats(TensorType.BF16, new long[] {values.length}, values));
        });
        SafetensorsWriter.writeSharded(FOR_PYTHON.resolve("sharded"), sharded, 1500);
    }

    @Test
    void aCheckpointThatFitsOneShardIsOneFileAndReplacesAnEarlierSave() throws IOException {
        Path checkpoint = directory.resolve("checkpoint");
        SafetensorsWriter.writeSharded(checkpoint, stateDict(), 700);
        assertEquals(3, fileNames(checkpoint).size());
        SafetensorsWriter.writeSharded(checkpoint, stateDict(), 1L << 30);
        assertEquals(List.of(Safetensors.SINGLE_FILE), fileNames(checkpoint));
        try (Safetensors read = Safetensors.open(checkpoint)) {
            assertEquals(6, read.entries().size());
            assertEquals(Map.of("format", "pt"), read.metadata());
        }
        SafetensorsWriter.writeSharded(checkpoint, stateDict(), 300);
        assertFalse(fileNames(checkpoint).contains(Safetensors.SINGLE_FILE));
        try (Safetensors read = Safetensors.open(checkpoint)) {
            assertEquals(List.of(
                    checkpoint.resolve("model-00001-of-00004.safetensors").toAbsolutePath(),
                    checkpoint.resolve("model-00002-of-00004.safetensors").toAbsolutePath(),
                    checkpoint.resolve("model-00003-of-00004.safetensors").toAbsolutePath(),
                    checkpoint.resolve("model-00004-of-00004.safetensors").toAbsolutePath()), read.files());
        }
    }

    @Test
    void tensorsMustBeConsistent() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(TensorType.F32, new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(TensorType.I64, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor(TensorType.BF16, new long[] {3}, java.nio.ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(directory.resolve("x.safetensors"),
                Map.of("__metadata__", Tensor.ofLongs(new long[] {1}, new long[] {1})), Map.of()));
    }

    private static Map<String, Tensor> stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (Safetensors sources = Safetensors.open(Fixtures.resource("writer-sharded-inputs.safetensors"))) {
            for (String name : STATE_DICT_ORDER) {
                tensors.put(name, Tensor.ofFloats(TensorType.BF16, sources.entry(name).shape(), sources.floats(name)));
            }
        }
        return tensors;
    }

    private static Map<String, float[]> stateDictSources() {
        Map<String, float[]> values = new LinkedHashMap<>();
        try (Safetensors sources = Safetensors.open(Fixtures.resource("writer-sharded-inputs.safetensors"))) {
            STATE_DICT_ORDER.forEach(name -> values.put(name, sources.floats(name)));
        }
        return values;
    }

    private static short[] shorts(Tensor tensor) {
        short[] values = new short[(int) (tensor.byteCount() / 2)];
        tensor.data().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
        return values;
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
