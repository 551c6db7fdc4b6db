package ai.videorl.cluster.model.hf;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Offsets past 4 GiB (real shards are 4-5 GB), on a sparse file that costs no disk. */
class SafetensorsLargeFileTest {

    /** File systems known to keep a file's unwritten range as a hole. */
    private static final Set<String> SPARSE_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs", "bcachefs");

    /** A filler before the tensors under test: their data starts past 2^32. */
    private static final long FILLER = (1L << 32) + 8;

    @TempDir
    Path directory;

    @Test
    void tensorsBeyondFourGibibytesReadCorrectly() throws IOException {
        String store = Files.getFileStore(directory).type();
        assumeTrue(SPARSE_FILE_SYSTEMS.contains(store), "skipped: the temporary directory's file system (" + store
                + ") may not support sparse files, and this test would write a 4 GiB file");
        String header = "{\"filler\":{\"dtype\":\"U8\",\"shape\":[" + FILLER + "],\"data_offsets\":[0," + FILLER + "]},"
                + "\"far.f32\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + FILLER + "," + (FILLER + 16) + "]},"
                + "\"far.bf16\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[" + (FILLER + 16) + "," + (FILLER + 22) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + json.length;
        Path file = directory.resolve("large.safetensors");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer start = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
            out.write(start.array());
            out.setLength(dataStart + FILLER + 22);
            ByteBuffer far = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            far.putFloat(1.5f).putFloat(-2f).putFloat(Float.MIN_VALUE).putFloat(3e38f);
            far.putShort((short) 0x3F80).putShort((short) 0xC0A0).putShort((short) 0x7F80);
            out.seek(dataStart + FILLER);
            out.write(far.array());
        }
        try (Safetensors weights = Safetensors.open(file); NDManager manager = NDManager.newBaseManager()) {
            assertTrue(weights.entry("far.f32").begin() > 1L << 32);
            assertEquals(dataStart + FILLER, weights.entry("far.f32").begin());
            assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e38f}, weights.floats("far.f32"));
            assertArrayEquals(new float[] {1f, -5f, Float.POSITIVE_INFINITY}, weights.floats("far.bf16"));
            assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e38f}, weights.array("far.f32", manager).toFloatArray());
            assertArrayEquals(new float[] {1f, -5f, Float.POSITIVE_INFINITY}, weights.array("far.bf16", manager).toFloatArray());
            assertEquals(FILLER, weights.entry("filler").elements());
        }
    }
}
