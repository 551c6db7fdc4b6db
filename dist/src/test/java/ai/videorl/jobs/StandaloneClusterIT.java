package ai.videorl.jobs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cluster/standalone.sh}: a master and two workers on 127.0.0.1 (its own ports and run
 * folder) whose SPARK_HOME holds Spark's jars alone, GRPO runs submitted to them through
 * {@code bin/videorl --master} and through that SPARK_HOME's {@code spark-submit} with the shaded
 * jar and nothing else, executors in both workers' JVMs, and a clean stop.
 */
class StandaloneClusterIT {

    private static final String SCRIPT = "cluster/standalone.sh";
    private static final String MASTER = "spark://127.0.0.1:17077";

    @TempDir
    Path directory;

    private Map<String, String> environment() {
        return Map.of("VIDEORL_SPARK_PORT", "17077", "VIDEORL_SPARK_UI_PORT", "18080",
                "VIDEORL_SPARK_RUN", directory.resolve("cluster").toString());
    }

    @AfterEach
    void stopTheCluster() throws Exception {
        Launcher.script(environment(), SCRIPT, "stop");
    }

    private List<Long> daemons() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("cluster"))) {
            return files.filter(file -> file.toString().endsWith(".pid")).sorted().map(file -> {
                try {
                    return Long.parseLong(Files.readString(file).trim());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTrainRunUsesExecutorsOfBothWorkersAndTheClusterStopsCleanly() throws Exception {
        Launcher.Run start = Launcher.script(environment(), SCRIPT, "start", "--workers", "2");
        assertEquals(0, start.status(), start.stdout() + start.stderr());
        assertTrue(start.stdout().contains("2 workers registered"), start.stdout());
        List<Long> daemons = daemons();
        assertEquals(3, daemons.size());
        Launcher.Run again = Launcher.script(environment(), SCRIPT, "start", "--workers", "2");
        assertEquals(0, again.status(), again.stderr());
        assertTrue(again.stdout().contains("(0 started now)"), again.stdout());
        assertEquals(daemons, daemons(), "a second start starts nothing");

        Path data = directory.resolve("data");
        assertEquals(0, Launcher.run("synth", "--out", data.toString(), "--videos", "2", "--seed", "5").status());
        Path run = directory.resolve("grpo");
        Launcher.Run train = Launcher.run("--master", MASTER, "--conf", "spark.executor.cores=1", "train", "--out", run.toString(),
                "--set", "data.train=" + data.resolve("manifest.jsonl"), "--set", "run.iterations=2",
                "--set", "data.prompts_per_step=4", "--set", "rollout.group_size=2", "--set", "rollout.max_new_tokens=12",
                "--set", "model.width=16", "--set", "model.layers=1", "--set", "model.heads=2");
        assertEquals(0, train.status(), train.stderr());
        assertTrue(Files.exists(run.resolve("rollouts/iteration=2")));
        assertTrue(Files.exists(run.resolve("checkpoints/iteration-00000002/_COMMITTED")));
        for (String worker : List.of("work-1", "work-2")) {
            List<Path> executorLogs;
            try (Stream<Path> logs = Files.walk(directory.resolve("cluster").resolve(worker))) {
                executorLogs = logs.filter(file -> file.getFileName().toString().equals("stderr")).toList();
            }
            assertFalse(executorLogs.isEmpty(), worker + " ran an executor JVM for the job");
            // A single-core executor sizes libtorch to its core instead of the machine's.
            assertTrue(executorLogs.stream().anyMatch(log -> read(log).contains("libtorch intra-op threads: 1 (spark.executor.cores")),
                    worker + "'s executor fitted libtorch's threads to spark.executor.cores=1");
        }

        Launcher.Run stop = Launcher.script(environment(), SCRIPT, "stop");
        assertEquals(0, stop.status(), stop.stderr());
        daemons.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " stopped"));
        Launcher.Run status = Launcher.script(environment(), SCRIPT, "status");
        assertEquals(1, status.status());
        assertTrue(status.stdout().contains("not running"), status.stdout());
    }

    @Test
    void theShadedJarTrainsThroughSparkSubmitWithNoOtherJar() throws Exception {
        assertEquals(0, Launcher.script(environment(), SCRIPT, "start", "--workers", "1").status());
        Path home = Launcher.ROOT.resolve("spark-home/target/spark-home");
        try (Stream<Path> jars = Files.list(home.resolve("jars"))) {
            assertTrue(jars.noneMatch(jar -> jar.getFileName().toString().startsWith("videorl")
                    || jar.getFileName().toString().startsWith("api-0.36")), "the cluster's Spark holds none of the project's jars");
        }
        Path data = directory.resolve("data");
        assertEquals(0, Launcher.run("synth", "--out", data.toString(), "--videos", "2", "--seed", "5").status());
        Path run = directory.resolve("submitted");
        List<String> args = new ArrayList<>(List.of("--master", MASTER, "--conf", "spark.executor.cores=1",
                "--conf", "spark.driver.host=127.0.0.1", "--class", "ai.videorl.jobs.VideoRl",
                Launcher.ROOT.resolve("dist/target/videorl-0.1.0-SNAPSHOT-spark.jar").toString()));
        args.addAll(List.of(train(data, run)).subList(2, train(data, run).length));
        // What Spark's own launcher adds for Java 17, as bin/videorl does.
        String flags = Files.readString(Launcher.ROOT.resolve("jobs/target/launcher/jvm-flags")).trim();
        Launcher.Run submitted = Launcher.script(Map.of("SPARK_SUBMIT_OPTS", flags, "SPARK_LOCAL_IP", "127.0.0.1"),
                "spark-home/target/spark-home/bin/spark-submit", args.toArray(String[]::new));
        assertEquals(0, submitted.status(), submitted.stderr());
        assertTrue(Files.exists(run.resolve("checkpoints/iteration-00000002/_COMMITTED")));
        assertEquals(16, RunFacts.responses(run).size(), "two iterations of 4 prompts x 2 rollouts");
    }

    /** {@code bin/videorl [--conf …] --master MASTER train --out RUN} on a tiny policy and two synthetic videos. */
    private static String[] train(Path data, Path run, String... sparkConf) {
        List<String> args = new ArrayList<>(List.of("--master", MASTER));
        for (String conf : sparkConf) {
            args.addAll(List.of("--conf", conf));
        }
        args.addAll(List.of("train", "--out", run.toString(),
                "--set", "data.train=" + data.resolve("manifest.jsonl"), "--set", "run.iterations=2",
                "--set", "data.prompts_per_step=4", "--set", "rollout.group_size=2", "--set", "rollout.max_new_tokens=12",
                "--set", "model.width=16", "--set", "model.layers=1", "--set", "model.heads=2"));
        return args.toArray(String[]::new);
    }

    @Test
    void anExecutorKilledMidRolloutIsReplacedAndTheRunMatchesACleanOne() throws Exception {
        assertEquals(0, Launcher.script(environment(), SCRIPT, "start", "--workers", "2").status());
        Path data = directory.resolve("data");
        assertEquals(0, Launcher.run("synth", "--out", data.toString(), "--videos", "2", "--seed", "5").status());
        Path clean = directory.resolve("clean");
        Launcher.Run cleanRun = Launcher.run(train(data, clean));
        assertEquals(0, cleanRun.status(), cleanRun.stderr());

        // The first rollout task of iteration 2 stalls; its executor JVM is then killed by PID.
        Path faults = Files.createDirectories(directory.resolve("faults"));
        Files.createFile(faults.resolve("rollout-2.stall"));
        Path killed = directory.resolve("killed");
        Path log = directory.resolve("killed.log");
        Process run = Launcher.start(Map.of(), log, train(data, killed, "spark.executor.extraJavaOptions=-Dvideorl.faults.dir=" + faults));
        long executor = RunFacts.awaitFiredFault(faults.resolve("rollout-2.stall.fired"), run, Duration.ofMinutes(3));
        assertTrue(RunFacts.commandLine(executor).contains("CoarseGrainedExecutorBackend"), "pid " + executor + " is an executor");
        RunFacts.kill(executor);
        assertTrue(run.waitFor(3, TimeUnit.MINUTES), "the run finished after losing an executor");
        assertEquals(0, run.exitValue(), Files.readString(log));

        assertEquals(RunFacts.responses(clean), RunFacts.responses(killed), "the same rollouts, each stored once");
        assertArrayEquals(RunFacts.finalWeights(clean), RunFacts.finalWeights(killed));
    }
}
