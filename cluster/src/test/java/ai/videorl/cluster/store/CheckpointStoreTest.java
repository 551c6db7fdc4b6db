package ai.videorl.cluster.store;

import ai.djl.Device;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.common.optim.AdamW;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static VideoPolicy policy;

    @TempDir
    Path run;

    @BeforeAll
    static void create() {
        policy = VideoPolicy.create(new PolicyConfig(40, 32, 2, 4, 16, 4, 64), Device.cpu(), 3);
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    private CheckpointStore store(int keep) {
        return new CheckpointStore(run.toUri().toString(), new Configuration(), keep);
    }

    private static Checkpoint checkpoint(long iteration) {
        double[] moments = {iteration, 0.5, -1};
        return new Checkpoint(iteration, policy.snapshot(iteration), new AdamW.State(iteration, moments, moments.clone()),
                "{\"cursor\": " + iteration + "}", "run:\n  seed: 1\n");
    }

    private Path directoryOf(long iteration) {
        return run.resolve(String.format("checkpoints/iteration-%08d", iteration));
    }

    @Test
    void theNewestCommittedCheckpointReadsBackWhole() throws Exception {
        CheckpointStore store = store(3);
        store.commit(checkpoint(10));
        store.commit(checkpoint(20));
        Checkpoint latest = store.latest().checkpoint().orElseThrow();
        assertEquals(20, latest.iteration());
        assertEquals(20, latest.weights().version());
        assertArrayEquals(policy.weights(), latest.weights().values());
        assertEquals(20, latest.optimizer().steps());
        assertArrayEquals(new double[] {20, 0.5, -1}, latest.optimizer().secondMoment());
        assertEquals("{\"cursor\": 20}", latest.state());
        assertEquals("run:\n  seed: 1\n", latest.config());
        assertEquals(List.of(), store.latest().skipped());
    }

    @Test
    void aCheckpointWithoutItsMarkerIsNeverRead() throws Exception {
        CheckpointStore store = store(3);
        store.commit(checkpoint(10));
        store.commit(checkpoint(20));
        Files.delete(directoryOf(20).resolve(CheckpointStore.MARKER));
        assertEquals(10, store.latest().checkpoint().orElseThrow().iteration(), "a crash before the marker: iteration 20 never happened");
        assertTrue(store.latest().skipped().isEmpty(), "an uncommitted checkpoint is not even a candidate");
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousAndSaysSo() throws Exception {
        CheckpointStore store = store(3);
        store.commit(checkpoint(10));
        store.commit(checkpoint(20));
        Path weights = directoryOf(20).resolve(CheckpointStore.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(weights, bytes);
        // Hadoop's local filesystem would catch the flip with its own .crc first; remove it to reach ours.
        Files.deleteIfExists(directoryOf(20).resolve("." + CheckpointStore.WEIGHTS + ".crc"));
        CheckpointStore.Loaded loaded = store.latest();
        assertEquals(10, loaded.checkpoint().orElseThrow().iteration());
        assertEquals(1, loaded.skipped().size());
        assertTrue(loaded.skipped().get(0).startsWith("iteration-00000020: corrupted weights"), loaded.skipped().get(0));
        assertTrue(loaded.skipped().get(0).contains("checksum mismatch"), loaded.skipped().get(0));
    }

    @Test
    void onlyTheNewestCheckpointsAreKept() throws Exception {
        CheckpointStore store = store(2);
        for (long iteration = 1; iteration <= 4; iteration++) {
            store.commit(checkpoint(iteration));
        }
        assertEquals(List.of("iteration-00000004", "iteration-00000003"),
                store.committed().stream().map(org.apache.hadoop.fs.Path::getName).toList());
        assertEquals(4, store.latest().checkpoint().orElseThrow().iteration());
    }

    @Test
    void aRunWithoutCheckpointsStartsFresh() throws Exception {
        CheckpointStore.Loaded loaded = store(2).latest();
        assertTrue(loaded.checkpoint().isEmpty());
        assertTrue(loaded.skipped().isEmpty());
    }
}
