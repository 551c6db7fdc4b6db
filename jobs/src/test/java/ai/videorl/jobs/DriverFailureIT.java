package ai.videorl.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver JVM of a {@code bin/videorl train} run is killed (SIGKILL) in the middle of
 * iteration 3; {@code train --resume} then completes the run to the same rollouts and weights as a
 * run that never stopped.
 */
class DriverFailureIT {

    @TempDir
    Path directory;

    /** {@code bin/videorl COMMAND --out RUN} on a tiny policy and two synthetic videos. */
    private static String[] command(String command, Path data, Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("--master", "local[2]", command, "--out", run.toString(),
                "--set", "data.train=" + data.resolve("manifest.jsonl"), "--set", "data.references=" + data.resolve("references.jsonl"),
                "--set", "model.width=32", "--set", "model.layers=2", "--set", "model.heads=2"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private String[] train(Path data, Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("--set", "model.init=" + directory.resolve("sft"), "--set", "run.iterations=4",
                "--set", "run.checkpoint_every=1", "--set", "data.prompts_per_step=4", "--set", "rollout.group_size=4",
                "--set", "rollout.max_new_tokens=40", "--set", "optimizer.lr=1e-3"));
        args.addAll(List.of(more));
        return command("train", data, run, args.toArray(String[]::new));
    }

    @Test
    void aResumeAfterTheDriverIsKilledMidIterationReachesTheUninterruptedWeights() throws Exception {
        Path data = directory.resolve("data");
        assertEquals(0, Launcher.run("synth", "--out", data.toString(), "--videos", "2", "--seed", "5").status());
        // A short warm start, so that rewards differ within groups and every iteration moves the weights.
        Launcher.Run sft = Launcher.run(command("sft", data, directory.resolve("sft"), "--set", "sft.steps=60", "--set", "sft.batch_size=10",
                "--set", "sft.lr=3e-3", "--set", "sft.warmup_steps=5"));
        assertEquals(0, sft.status(), sft.stderr());
        Path clean = directory.resolve("clean");
        Launcher.Run cleanRun = Launcher.run(train(data, clean));
        assertEquals(0, cleanRun.status(), cleanRun.stderr());

        // In local mode the rollout tasks run in the driver's JVM: stalling iteration 3's first one
        // holds the driver mid-iteration, after iteration 2's checkpoint, and it is killed there.
        Path faults = Files.createDirectories(directory.resolve("faults"));
        Files.createFile(faults.resolve("rollout-3.stall"));
        Path killed = directory.resolve("killed");
        Path log = directory.resolve("killed.log");
        Process run = Launcher.start(Map.of("VIDEORL_JAVA_OPTS", "-Dvideorl.faults.dir=" + faults), log, train(data, killed));
        long driver = RunFacts.awaitFiredFault(faults.resolve("rollout-3.stall.fired"), run, Duration.ofMinutes(3));
        assertEquals(run.pid(), driver, "the stalled task runs in the driver's JVM (bin/videorl execs it)");
        RunFacts.kill(driver);
        assertTrue(run.waitFor(1, TimeUnit.MINUTES));
        assertTrue(Files.exists(killed.resolve("rollouts/iteration=2")), "iterations 1 and 2 were stored before the kill");

        Launcher.Run resumed = Launcher.run(train(data, killed, "--resume"));
        assertEquals(0, resumed.status(), resumed.stderr());
        assertTrue(resumed.stdout().contains("resuming " + killed + " after iteration 2"), resumed.stdout());
        assertEquals(RunFacts.responses(clean), RunFacts.responses(killed), "the same rollouts, each stored once");
        assertArrayEquals(RunFacts.finalWeights(clean), RunFacts.finalWeights(killed));
        assertEquals(4, Files.readAllLines(killed.resolve("metrics.jsonl")).size());
        double informative = 0;
        for (String line : Files.readAllLines(clean.resolve("metrics.jsonl"))) {
            informative += new ObjectMapper().readTree(line).get("groups/informative").asDouble();
        }
        assertTrue(informative > 0, "some groups teach, so the weights depend on the rollouts");
    }
}
