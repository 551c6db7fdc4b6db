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
            assertEquals(CONFIG, loaded.config());
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
            assertEquals(CONFIG.withFrameTags(5), PolicyWeights.fromBytes(weights.toBytes(), "w.bin").config());
            PolicyWeights dropped = weights.withoutFrameTags();
            assertEquals(CONFIG, dropped.config());
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
        assertMessage("weights w.bin are in format 1, this build reads format 5 (train them again", () -> PolicyWeights.fromBytes(bytes, "w.bin"));
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
