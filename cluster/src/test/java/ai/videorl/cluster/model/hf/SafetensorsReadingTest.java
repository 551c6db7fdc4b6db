package ai.videorl.cluster.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static ai.videorl.cluster.model.hf.Fixtures.assertBadInput;
import static ai.videorl.cluster.model.hf.Fixtures.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading files written by Python's safetensors; every expected float is torch's own widening ({@code X.as_f32}). */
class SafetensorsReadingTest {

    private static final Path DTYPES = Fixtures.resource("dtypes");
    private static final Path SHARDED = Fixtures.resource("sharded");

    @Test
    void everyFloatingDtypeWidensBitForBitAsTorchDoes() {
        try (Safetensors weights = Safetensors.open(DTYPES)) {
            int compared = 0;
            for (String name : weights.entries().keySet()) {
                if (name.endsWith(".as_f32")) {
                    String stored = name.substring(0, name.length() - ".as_f32".length());
                    assertEquals(TensorType.F32, weights.entry(name).type());
                    assertArrayEquals(weights.entry(name).shape(), weights.entry(stored).shape(), name);
                    assertSameFloats(weights.floats(name), weights.floats(stored), stored);
                    compared++;
                }
            }
            assertEquals(5, compared);
            assertEquals(TensorType.F16, weights.entry("f16_patterns").type());
            assertEquals(TensorType.BF16, weights.entry("bf16_patterns").type());
        }
    }

    @Test
    void float32IsReadAsStoredIncludingSignedZerosSubnormalsInfinitiesAndNaNPayloads() {
        int[] expected = {0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF,
            0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF, 0xFFFFFFFF, 0x7FC12345, 0x3F800000,
            0xBF800000, 0x40490FDB};
        try (Safetensors weights = Safetensors.open(DTYPES)) {
            assertArrayEquals(expected, bits(weights.floats("f32_edges")));
        }
    }

    @Test
    void arraysAreFloat32OfTheTensorsShapeWithTheSameValues() {
        try (Safetensors weights = Safetensors.open(DTYPES); NDManager manager = NDManager.newBaseManager()) {
            for (String name : List.of("f32_matrix", "f16_matrix", "bf16_matrix", "bf16_patterns", "f16_patterns", "scalar_bf16", "scalar_f32")) {
                NDArray array = weights.array(name, manager);
                assertEquals(DataType.FLOAT32, array.getDataType(), name);
                assertEquals(new Shape(weights.entry(name).shape()), array.getShape(), name);
                assertArrayEquals(bits(weights.floats(name)), bits(array.toFloatArray()), name);
            }
            assertEquals(new Shape(3, 4, 5), weights.array("bf16_matrix", manager).getShape());
        }
    }

    @Test
    void anInPlaceChangeToAnArrayLeavesTheFileAsItWas() {
        // An F32 array reads a copy-on-write map of the file: writing to it must neither crash
        // (a read-only map would) nor reach the file.
        try (Safetensors weights = Safetensors.open(DTYPES); NDManager manager = NDManager.newBaseManager()) {
            float[] before = weights.floats("f32_matrix");
            NDArray array = weights.array("f32_matrix", manager);
            array.addi(1f);
            assertEquals(before[0] + 1f, array.toFloatArray()[0]);
            assertArrayEquals(before, weights.floats("f32_matrix"));
        }
        try (Safetensors reopened = Safetensors.open(DTYPES)) {
            assertEquals(-0.8201345205307007f, reopened.floats("f32_matrix")[0]);
        }
    }

    @Test
    void scalarsHaveOneElementAndEmptyTensorsNone() {
        try (Safetensors weights = Safetensors.open(DTYPES); NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[0], weights.entry("scalar_f32").shape());
            assertEquals(1, weights.entry("scalar_f32").elements());
            assertArrayEquals(new float[] {-2.5f}, weights.floats("scalar_f32"));
            assertArrayEquals(new float[] {3.140625f}, weights.floats("scalar_bf16"));
            assertEquals(new Shape(), weights.array("scalar_f32", manager).getShape());

            assertArrayEquals(new long[] {0, 3}, weights.entry("empty_f32").shape());
            assertEquals(0, weights.entry("empty_f32").elements());
            assertEquals(0, weights.floats("empty_f32").length);
            assertEquals(0, weights.floats("empty_bf16").length);
            NDArray empty = weights.array("empty_bf16", manager);
            assertEquals(new Shape(2, 0), empty.getShape());
            assertEquals(DataType.FLOAT32, empty.getDataType());
        }
    }

    @Test
    void integersAreReadAsLongs() {
        try (Safetensors weights = Safetensors.open(DTYPES)) {
            assertArrayEquals(new long[] {0, 1, -1, 1L << 62, Long.MIN_VALUE, Long.MAX_VALUE}, weights.longs("ids_i64"));
            assertArrayEquals(new long[] {7, Integer.MIN_VALUE, Integer.MAX_VALUE}, weights.longs("ids_i32"));
            assertEquals(TensorType.BOOL, weights.entry("bool_values").type());
            assertEquals(TensorType.U8, weights.entry("u8_values").type());
            assertEquals(TensorType.F64, weights.entry("f64_values").type());
        }
    }

    @Test
    void readingTheWrongKindOfTensorNamesFileTensorAndDtype() {
        try (Safetensors weights = Safetensors.open(DTYPES); NDManager manager = NDManager.newBaseManager()) {
            assertBadInput(() -> weights.floats("ids_i64"), "model.safetensors", "'ids_i64'", "I64", "floats()");
            assertBadInput(() -> weights.array("f64_values", manager), "model.safetensors", "'f64_values'", "F64");
            assertBadInput(() -> weights.longs("f32_matrix"), "model.safetensors", "'f32_matrix'", "F32", "longs()");
        }
    }

    @Test
    void aMissingNameIsReportedWithTheCheckpointAndTheNearestNames() {
        try (Safetensors weights = Safetensors.open(DTYPES)) {
            assertFalse(weights.contains("f32_matrics"));
            assertBadInput(() -> weights.entry("f32_matrics"), DTYPES.toString(), "'f32_matrics'", "f32_matrix");
        }
    }

    @Test
    void aDirectoryAndItsFileOpenAlike() {
        try (Safetensors directory = Safetensors.open(DTYPES); Safetensors file = Safetensors.open(DTYPES.resolve("model.safetensors"))) {
            assertEquals(directory.entries(), file.entries());
            assertEquals(Map.of("format", "pt", "fixture", "dtypes"), file.metadata());
            assertEquals(List.of(DTYPES.resolve("model.safetensors")), directory.files());
            assertEquals(22, file.entries().size());
            assertEquals(List.copyOf(file.entries().keySet()), file.entries().keySet().stream().sorted().toList());
            assertThrows(UnsupportedOperationException.class, () -> file.entries().clear());
        }
    }

    @Test
    void entriesGiveAbsoluteOffsetsInTheFile() throws IOException {
        Path file = DTYPES.resolve("model.safetensors");
        long headerLength;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            headerLength = length.getLong(0);
        }
        try (Safetensors weights = Safetensors.open(file)) {
            long first = weights.entries().values().stream().mapToLong(TensorEntry::begin).min().orElseThrow();
            assertEquals(8 + headerLength, first);
            TensorEntry ids = weights.entry("ids_i64");
            assertEquals(6 * 8, ids.end() - ids.begin());
            assertEquals(Long.MIN_VALUE, Fixtures.rawBytes(ids).getLong(4 * 8));
        }
    }

    @Test
    void aShardedCheckpointReadsEveryShardAsItsIndexSays() {
        try (Safetensors weights = Safetensors.open(SHARDED)) {
            assertEquals(3, weights.files().size());
            assertEquals(12, weights.entries().size());
            assertEquals(Map.of("format", "pt"), weights.metadata());
            assertEquals(SHARDED.resolve("model-00001-of-00003.safetensors").toAbsolutePath(), weights.entry("lm_head.weight").file());
            assertEquals(SHARDED.resolve("model-00003-of-00003.safetensors").toAbsolutePath(), weights.entry("lm_head.weight.as_f32").file());
            for (String name : weights.entries().keySet()) {
                if (!name.endsWith(".as_f32")) {
                    assertEquals(TensorType.BF16, weights.entry(name).type(), name);
                    assertSameFloats(weights.floats(name + ".as_f32"), weights.floats(name), name);
                }
            }
            assertArrayEquals(new long[] {16, 8}, weights.entry("model.embed_tokens.weight").shape());
        }
        try (Safetensors byIndex = Safetensors.open(SHARDED.resolve(Safetensors.INDEX_FILE))) {
            assertEquals(12, byIndex.entries().size());
        }
    }

    @Test
    void closingReleasesTheFilesButArraysMadeStayValid() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Safetensors weights = Safetensors.open(DTYPES);
            NDArray array = weights.array("f32_matrix", manager);
            float[] expected = weights.floats("f32_matrix");
            weights.close();
            weights.close();
            assertThrows(IllegalStateException.class, () -> weights.floats("f32_matrix"));
            assertArrayEquals(expected, array.toFloatArray());
            assertTrue(weights.contains("f32_matrix"));
        }
    }

    /**
     * Bit for bit, except that a NaN need only be NaN: torch's own widening of a float16 NaN differs
     * between its vectorized kernel and its scalar path (see {@link HalfFloats}).
     */
    private static void assertSameFloats(float[] expected, float[] actual, String tensor) {
        assertEquals(expected.length, actual.length, tensor);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), tensor + "[" + i + "]");
            } else {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), tensor + "[" + i + "]");
            }
        }
    }

    @Test
    void tensorsMappedInManyPiecesReadAsInOne() {
        // Real tensors pass 1 GiB, the piece size; small pieces exercise the same stitching here.
        try (Safetensors whole = Safetensors.open(DTYPES); Safetensors pieces = Safetensors.open(DTYPES, 24);
                NDManager manager = NDManager.newBaseManager()) {
            for (TensorEntry entry : whole.entries().values()) {
                String name = entry.name();
                if (entry.type().widensToFloat()) {
                    assertArrayEquals(bits(whole.floats(name)), bits(pieces.floats(name)), name);
                    assertArrayEquals(bits(whole.floats(name)), bits(pieces.array(name, manager).toFloatArray()), name);
                } else if (entry.type() == TensorType.I64 || entry.type() == TensorType.I32) {
                    assertArrayEquals(whole.longs(name), pieces.longs(name), name);
                }
            }
        }
    }
}
