package ai.videorl.cluster.model;

import ai.djl.Device;
import ai.videorl.cluster.store.WeightFiles;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyWeightsTest {

    private static final PolicyConfig CONFIG = new PolicyConfig(40, 32, 2, 4, 16, 4, 64);

    @TempDir
    Path directory;

    @Test
    void weightsRoundTripThroughAFileAndRebuildTheSamePolicy() throws Exception {
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            PolicyWeights weights = policy.snapshot(7);
            String location = directory.resolve("weights/v7.bin").toUri().toString();
            WeightFiles.save(weights, location, new Configuration());
            PolicyWeights loaded = WeightFiles.load(location, new Configuration());
            assertEquals(7, loaded.version());
            assertEquals(CONFIG, loaded.tiny());
            assertArrayEquals(weights.values(), loaded.values());
            try (VideoPolicy rebuilt = VideoPolicy.fromWeights(loaded, Device.cpu())) {
                assertArrayEquals(policy.weights(), rebuilt.weights());
            }
            try (java.util.stream.Stream<Path> files = Files.list(directory.resolve("weights"))) {
                // Hadoop's local filesystem keeps a .crc checksum file beside each file it writes.
                assertEquals(java.util.List.of(".v7.bin.crc", "v7.bin"),
                        files.map(file -> file.getFileName().toString()).sorted().toList(), "no temporary file left behind");
            }
        }
    }

    @Test
    void aStreamedBlobIsByteForByteTheBlobAndReadsBackInAnyPieces() throws Exception {
        // More values than one streamed chunk holds (2^18), so both directions cross chunk boundaries.
        float[] values = new float[600_001];
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        PolicyWeights weights = new PolicyWeights(9, CONFIG, java.util.List.of("a", "b"),
                java.util.List.of(new long[] {600_000}, new long[] {1}), values);
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        weights.write(streamed);
        byte[] blob = weights.toBytes();
        assertArrayEquals(blob, streamed.toByteArray(), "what a checkpoint file holds is unchanged");

        java.util.List<java.io.InputStream> pieces = new java.util.ArrayList<>();
        for (int start = 0; start < blob.length; start += 1000) {
            pieces.add(new java.io.ByteArrayInputStream(Arrays.copyOfRange(blob, start, Math.min(blob.length, start + 1000))));
        }
        PolicyWeights read = PolicyWeights.read(new java.io.SequenceInputStream(java.util.Collections.enumeration(pieces)), "pieces");
        assertEquals(9, read.version());
        assertArrayEquals(values, read.values());

        byte[] damaged = blob.clone();
        java.nio.ByteBuffer.wrap(damaged).putInt(blob.length - Long.BYTES - Float.BYTES * values.length - Integer.BYTES, Integer.MAX_VALUE);
        assertMessage("corrupted weights w.bin: implausible value count 2147483647 for tensors of 600001 values",
                () -> PolicyWeights.fromBytes(damaged, "w.bin"));
    }

    @Test
    void corruptedOrTruncatedWeightsFailNamingTheFile() throws Exception {
        byte[] bytes;
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            bytes = policy.snapshot(1).toBytes();
        }
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        assertMessage("corrupted weights w.bin: checksum mismatch", () -> PolicyWeights.fromBytes(flipped, "w.bin"));
        assertMessage("corrupted weights w.bin: truncated", () -> PolicyWeights.fromBytes(Arrays.copyOf(bytes, bytes.length - 9), "w.bin"));
        assertMessage("corrupted weights w.bin: not a videorl weights file",
                () -> PolicyWeights.fromBytes("hello world, not weights".getBytes(), "w.bin"));
    }

    @Test
    void weightsWithAFrameTagHeadRoundTripAndDropItToBecomeAPolicyWithoutOne() {
        try (VideoPolicy headed = VideoPolicy.create(CONFIG.withFrameTags(5), Device.cpu(), 3);
             VideoPolicy plain = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            PolicyWeights weights = headed.snapshot(4);
            assertEquals(CONFIG.withFrameTags(5), PolicyWeights.fromBytes(weights.toBytes(), "w.bin").tiny());
            PolicyWeights dropped = weights.withoutFrameTags();
            assertEquals(CONFIG, dropped.tiny());
            assertEquals(4, dropped.version());
            assertEquals(plain.parameters().names(), dropped.names());
            assertEquals(weights.values().length - 32 * 5 - 5, dropped.values().length);
            assertArrayEquals(Arrays.copyOf(weights.values(), dropped.values().length), dropped.values());
            plain.load(dropped);
            assertArrayEquals(dropped.values(), plain.weights());
            assertSame(dropped, dropped.withoutFrameTags());
        }
    }

    @Test
    void weightsOfAnEarlierFormatAreRefusedNamingIt() {
        byte[] bytes;
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            bytes = policy.snapshot(1).toBytes();
        }
        java.nio.ByteBuffer.wrap(bytes).putInt(4, 1);
        assertMessage("weights w.bin are in format 1, this build reads format 6 (train them again", () -> PolicyWeights.fromBytes(bytes, "w.bin"));
    }

    @Test
    void weightsOfTheTinyPolicysEarlierFormatStillRead() {
        try (VideoPolicy policy = VideoPolicy.create(CONFIG, Device.cpu(), 3)) {
            PolicyWeights weights = policy.snapshot(7);
            byte[] current = weights.toBytes();
            // Format 5: no kind byte after the version, and its own checksum.
            int kind = 4 + 4 + 8;
            byte[] old = new byte[current.length - 1];
            System.arraycopy(current, 0, old, 0, kind);
            System.arraycopy(current, kind + 1, old, kind, current.length - kind - 1);
            java.nio.ByteBuffer.wrap(old).putInt(4, 5);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(old, 0, old.length - Long.BYTES);
            java.nio.ByteBuffer.wrap(old).putLong(old.length - Long.BYTES, crc.getValue());
            PolicyWeights read = PolicyWeights.fromBytes(old, "old.bin");
            assertEquals(CONFIG, read.tiny());
            assertEquals(7, read.version());
            assertArrayEquals(weights.values(), read.values());
        }
    }

    @Test
    void adaptersRoundTripWithTheirBaseAndSettings() {
        AdapterSpec spec = new AdapterSpec(PolicyArchitecture.QWEN2_5_VL, "s3a://models/Qwen2.5-VL-7B-Instruct", 0xfeedbeefL,
                ModelDtype.FLOAT32, 16, 32, 0.05);
        PolicyWeights weights = new PolicyWeights(3, spec, java.util.List.of("a.lora_A.weight", "a.lora_B.weight"),
                java.util.List.of(new long[] {2, 3}, new long[] {4, 2}), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        PolicyWeights read = PolicyWeights.fromBytes(weights.toBytes(), "adapters.bin");
        assertEquals(spec, read.spec());
        assertEquals(weights.names(), read.names());
        assertArrayEquals(weights.values(), read.values());
        assertEquals("these are qwen2_5_vl weights, not the tiny policy's",
                assertThrows(VideoRlException.class, read::tiny).getMessage());
    }

    @Test
    void aFullyFineTunedModelRoundTripsWithItsBase() {
        FullModelSpec spec = new FullModelSpec(PolicyArchitecture.QWEN2_5_VL, "/models/demo-base", 0x1234abcdL);
        PolicyWeights weights = new PolicyWeights(5, spec, java.util.List.of("model.norm.weight", "lm_head.weight"),
                java.util.List.of(new long[] {2}, new long[] {3, 2}), new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        PolicyWeights read = PolicyWeights.fromBytes(weights.toBytes(), "full.bin");
        assertEquals(spec, read.spec());
        assertEquals(weights.names(), read.names());
        assertArrayEquals(weights.values(), read.values());
    }

    @Test
    void weightsOfAnotherShapeAreRefused() {
        try (VideoPolicy small = VideoPolicy.create(CONFIG, Device.cpu(), 3);
             VideoPolicy wide = VideoPolicy.create(new PolicyConfig(40, 64, 2, 4, 16, 4, 64), Device.cpu(), 3)) {
            VideoRlException error = assertThrows(VideoRlException.class, () -> small.load(wide.snapshot(2)));
            assertTrue(error.getMessage().startsWith("weights of version 2 are for PolicyConfig[vocabularySize=40, width=64"),
                    error.getMessage());
        }
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable read) {
        VideoRlException error = assertThrows(VideoRlException.class, read);
        assertTrue(error.getMessage().startsWith(prefix), error.getMessage());
    }
}
