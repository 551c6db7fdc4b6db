package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.S3ProxyServer;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.djl.Device;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.store.Checkpoint;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.synth.VideoFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything on s3a:// against a real S3 API server (S3Proxy in its own JVM on loopback):
 * videos, manifest, references, rollouts, metrics and checkpoints; an outage of a few seconds in
 * the middle of a run; and a commit that cannot reach S3 at all.
 */
class S3StorageSparkIT {

    private static final int GROUP = 4;
    private static final int PROMPTS = 4;
    private static final long OUTAGE_MS = 4_000;

    @TempDir
    static java.nio.file.Path directory;
    private static S3ProxyServer s3;
    private static Configuration hadoop;

    @BeforeAll
    static void startS3AndUploadData() throws Exception {
        s3 = S3ProxyServer.start(directory.resolve("s3"));
        hadoop = LocalSpark.session().sparkContext().hadoopConfiguration();
        s3.configure(hadoop);
        java.nio.file.Path synth = directory.resolve("synth");
        SynthWriter.write(new SynthOptions(synth.toString(), 3, 11, VideoFormat.DEFAULT, 2));
        Path data = new Path(s3.uri("data"));
        data.getFileSystem(hadoop).copyFromLocalFile(false, true, new Path(synth.toUri()), data);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private static TrainingConfig config(String out, String... more) {
        List<String> overrides = new ArrayList<>(List.of(
                "data.train=" + s3.uri("data/" + SynthWriter.MANIFEST), "run.out=" + out, "run.checkpoint_every=1",
                "data.prompts_per_step=" + PROMPTS, "rollout.group_size=" + GROUP, "rollout.max_new_tokens=40", "rollout.partitions=2",
                "model.width=32", "model.layers=2", "model.heads=2", "model.max_length=144", "optimizer.lr=1e-3"));
        overrides.addAll(List.of(more));
        return TrainingConfigLoader.load(null, "test", overrides);
    }

    /** Each rollout's response by (iteration, prompt, sample); fails on a rollout stored twice. */
    private static Map<String, String> responses(String run) {
        Map<String, String> responses = new HashMap<>();
        for (Row row : RolloutStore.read(LocalSpark.session(), run).select("iteration", "id", "sample_index", "response").collectAsList()) {
            String key = row.getInt(0) + "/" + row.getString(1) + "/" + row.getInt(2);
            assertEquals(null, responses.put(key, row.getString(3)), "rollout " + key + " stored twice");
        }
        return responses;
    }

    private static PolicyWeights finalWeights(String run) throws IOException {
        return new CheckpointStore(run, hadoop, 1).latest().checkpoint().orElseThrow().weights();
    }

    private static List<String> lines(String file) throws IOException {
        Path path = new Path(file);
        try (var in = path.getFileSystem(hadoop).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aRunOnS3SurvivesAnOutageResumesAndMatchesTheSameRunOnLocalDisk() throws Exception {
        String warm = s3.uri("sft");
        new SftTrainer(LocalSpark.session(), config(warm, "data.references=" + s3.uri("data/" + SynthWriter.REFERENCES),
                "sft.steps=30", "sft.batch_size=15", "sft.lr=3e-3", "sft.warmup_steps=5"), System.out::println).train();

        // The S3 run stops after iteration 2 and resumes to 3; S3 goes away for a few seconds as soon
        // as iteration 1's checkpoint is committed, so iteration 2's reads and writes meet the outage.
        String onS3 = s3.uri("run");
        java.nio.file.Path firstCommit = s3.bucketDirectory().resolve("run/checkpoints/iteration-00000001/_COMMITTED");
        CompletableFuture<Long> outage = CompletableFuture.supplyAsync(() -> {
            try {
                long deadline = System.currentTimeMillis() + 300_000;
                while (!Files.exists(firstCommit) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                s3.stop();
                long stopped = System.currentTimeMillis();
                Thread.sleep(OUTAGE_MS);
                s3.restart();
                return stopped;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        new GrpoTrainer(LocalSpark.session(), config(onS3, "model.init=" + warm, "run.iterations=2"), System.out::println).train(false);
        long runEnded = System.currentTimeMillis();
        long outageStarted = outage.get(2, TimeUnit.MINUTES);
        assertTrue(outageStarted < runEnded, "S3 was stopped while the run was still going");
        new GrpoTrainer(LocalSpark.session(), config(onS3, "model.init=" + warm, "run.iterations=3"), System.out::println).train(true);

        String local = directory.resolve("local-run").toString();
        new GrpoTrainer(LocalSpark.session(), config(local, "model.init=" + warm, "run.iterations=3"), System.out::println).train(false);

        Map<String, String> stored = responses(onS3);
        assertEquals(3 * PROMPTS * GROUP, stored.size());
        assertEquals(responses(local), stored, "the same rollouts, each once");
        assertArrayEquals(finalWeights(local).values(), finalWeights(onS3).values(), 1e-6f);
        assertEquals(3, lines(onS3 + "/metrics.jsonl").size());
        assertEquals(List.of("iteration-00000001", "iteration-00000002", "iteration-00000003"), checkpointNames(onS3));
    }

    @Test
    void aCommitThatCannotReachS3FailsNamingItAndResumeKeepsThePreviousCheckpoint() throws Exception {
        // A client that gives up quickly, so the outage outlasts its retries.
        Configuration impatient = new Configuration(hadoop);
        impatient.setBoolean("fs.s3a.impl.disable.cache", true);
        impatient.setInt("fs.s3a.retry.limit", 1);
        impatient.set("fs.s3a.retry.interval", "100ms");
        impatient.setInt("fs.s3a.attempts.maximum", 1);
        impatient.set("fs.s3a.connection.establish.timeout", "1s");
        String run = s3.uri("outage-run");
        CheckpointStore store = new CheckpointStore(run, impatient, 3);
        PolicyWeights weights = tinyPolicyWeights();
        store.commit(checkpoint(1, weights));

        s3.stop();
        IOException failure;
        try {
            failure = assertThrows(IOException.class, () -> store.commit(checkpoint(2, weights)));
        } finally {
            s3.restart();
        }
        assertTrue(failure.toString().contains("outage-run/checkpoints/iteration-00000002"), failure.toString());

        // A commit that crashed after its data but before its marker is never read either.
        FileSystem fileSystem = new Path(run).getFileSystem(hadoop);
        Path crashed = new Path(CheckpointStore.directoryOf(run, 3));
        fileSystem.copyFromLocalFile(false, true, new Path(s3.bucketDirectory().resolve("outage-run/checkpoints/iteration-00000001/weights.bin").toUri()),
                new Path(crashed, "weights.bin"));

        CheckpointStore.Loaded loaded = new CheckpointStore(run, hadoop, 3).latest();
        assertEquals(1, loaded.checkpoint().orElseThrow().iteration());
        assertTrue(loaded.skipped().isEmpty(), "uncommitted directories are not even candidates: " + loaded.skipped());
        assertFalse(fileSystem.exists(new Path(CheckpointStore.directoryOf(run, 2), "_COMMITTED")));
        assertArrayEquals(weights.values(), loaded.checkpoint().orElseThrow().weights().values());
    }

    private static List<String> checkpointNames(String run) throws IOException {
        Path checkpoints = new Path(run, "checkpoints");
        List<String> names = new ArrayList<>();
        for (FileStatus status : checkpoints.getFileSystem(hadoop).listStatus(checkpoints)) {
            names.add(status.getPath().getName());
        }
        names.sort(null);
        return names;
    }

    private static Checkpoint checkpoint(long iteration, PolicyWeights weights) {
        return new Checkpoint(iteration, weights, new AdamW(new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.0),
                weights.values().length).state(), "{\"cursor\":" + iteration + "}", "run:\n  seed: 1\n");
    }

    private static PolicyWeights tinyPolicyWeights() {
        TrainingConfig config = config(s3.uri("unused"));
        try (VideoPolicy policy = VideoPolicy.create(config.model().toPolicy(16, config.video()),
                Device.cpu(), 7)) {
            return policy.snapshot(3);
        }
    }
}
