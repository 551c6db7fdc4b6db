package ai.videorl.cluster.model.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.S3ProxyServer;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.qwen.MropePositions;
import ai.videorl.cluster.model.qwen.Qwen25VlModel;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint on a real S3 API server (S3Proxy) is copied once into the local cache and loads as the local one does. */
class CheckpointDirectoriesIT {

    private static final java.nio.file.Path SMALL = Paths.get("src/test/resources/qwen/models/small-tied");

    @TempDir
    static java.nio.file.Path directory;

    private static S3ProxyServer s3;
    private static final Configuration HADOOP = new Configuration();

    @BeforeAll
    static void upload() throws IOException {
        s3 = S3ProxyServer.start(directory.resolve("s3"));
        s3.configure(HADOOP);
        // Hadoop caches one S3A filesystem per bucket for the whole JVM: a cached one would point
        // later tests in this JVM at this test's server, long stopped by then.
        HADOOP.setBoolean("fs.s3a.impl.disable.cache", true);
        Path remote = new Path(s3.uri("models/small-tied"));
        remote.getFileSystem(HADOOP).copyFromLocalFile(false, true, new Path(SMALL.toAbsolutePath().toUri()), remote);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        s3.close();
    }

    @Test
    void aRemoteCheckpointIsCopiedOnceAndLoadsAsTheLocalOne() throws IOException {
        java.nio.file.Path cache = directory.resolve("cache");
        java.nio.file.Path local = CheckpointDirectories.local(s3.uri("models/small-tied"), cache, HADOOP);
        for (String file : new String[] {"config.json", "model.safetensors", "reference.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(SMALL.resolve(file)), Files.readAllBytes(local.resolve(file)), file);
        }
        long modified = Files.getLastModifiedTime(local.resolve("model.safetensors")).toMillis();
        assertEquals(local, CheckpointDirectories.local(s3.uri("models/small-tied"), cache, HADOOP), "the same copy");
        assertEquals(modified, Files.getLastModifiedTime(local.resolve("model.safetensors")).toMillis(), "not copied again");
        try (Stream<java.nio.file.Path> entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "no partial copy left behind");
        }
        assertArrayEquals(greedyTokens(SMALL), greedyTokens(local));

        // A changed object is a different checkpoint: fetched again, into its own directory.
        Path config = new Path(s3.uri("models/small-tied/generation_config.json"));
        try (var out = config.getFileSystem(HADOOP).create(config, true)) {
            out.write("{\"eos_token_id\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertNotEquals(local, CheckpointDirectories.local(s3.uri("models/small-tied"), cache, HADOOP));
    }

    @Test
    void localPathsAreUsedInPlaceAndMissingOnesAreNamed() {
        assertEquals(SMALL, CheckpointDirectories.local(SMALL.toString(), directory.resolve("unused"), HADOOP));
        VideoRlException local = assertThrows(VideoRlException.class,
                () -> CheckpointDirectories.local(directory.resolve("none").toString(), directory, HADOOP));
        assertTrue(local.getMessage().contains("is not a directory"), local.getMessage());
        VideoRlException remote = assertThrows(VideoRlException.class,
                () -> CheckpointDirectories.local(s3.uri("models/none"), directory.resolve("cache-2"), HADOOP));
        assertTrue(remote.getMessage().contains(s3.uri("models/none")), remote.getMessage());
    }

    private static int[] greedyTokens(java.nio.file.Path checkpoint) {
        try (Qwen25VlModel model = Qwen25VlModel.load(checkpoint, Device.cpu());
             Safetensors reference = Safetensors.open(checkpoint.resolve("reference.safetensors"));
             NDManager scope = NDManager.newBaseManager(Device.cpu())) {
            long[] grid = reference.longs("video_grid_thw");
            long[] ids = reference.longs("input_ids");
            int[][] prompt = {java.util.Arrays.stream(ids).mapToInt(Math::toIntExact).toArray()};
            Qwen25VlModel.Prompts prompts = new Qwen25VlModel.Prompts(prompt, null, reference.array("pixel_values_videos", scope),
                    List.of(new MropePositions.VideoGrid((int) grid[0], (int) grid[1], (int) grid[2], 1.0)));
            return model.generate(prompts, DecodingConfig.greedy(4), new long[1], Set.of(), null, scope).tokens()[0];
        }
    }
}
