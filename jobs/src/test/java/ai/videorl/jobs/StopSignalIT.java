package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a {@code bin/videorl train} run in the middle of iteration 2: it stops cleanly, saying
 * which iteration it abandons and where a resume continues, with no stack trace, and exits 143;
 * {@code --resume} then finishes the run.
 */
class StopSignalIT {

    @TempDir
    Path directory;

    @Test
    void sigtermMidIterationStopsCleanlyAndTheRunResumes() throws Exception {
        Path data = directory.resolve("data");
        assertEquals(0, Launcher.run("synth", "--out", data.toString(), "--videos", "2", "--seed", "7").status());
        Path run = directory.resolve("run");
        String[] train = {"--master", "local[2]", "train", "--out", run.toString(), "--set", "data.train=" + data.resolve("manifest.jsonl"),
            "--set", "model.width=16", "--set", "model.layers=1", "--set", "model.heads=2", "--set", "run.iterations=3",
            "--set", "run.checkpoint_every=1", "--set", "data.prompts_per_step=2", "--set", "rollout.group_size=2",
            "--set", "rollout.max_new_tokens=8"};
        // In local mode the rollout tasks run in the driver's JVM: a stalled task holds iteration 2 open.
        Path faults = Files.createDirectories(directory.resolve("faults"));
        Files.createFile(faults.resolve("rollout-2.stall"));
        Path log = directory.resolve("train.log");
        Process process = Launcher.start(Map.of("VIDEORL_JAVA_OPTS", "-Dvideorl.faults.dir=" + faults), log, train);
        RunFacts.awaitFiredFault(faults.resolve("rollout-2.stall.fired"), process, Duration.ofMinutes(3));
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the run stops");
        String output = Files.readString(log);
        assertEquals(143, process.exitValue(), output);
        assertTrue(output.contains("stopped by a shutdown signal (SIGTERM): iteration 2 is abandoned; --resume continues "
                + "after iteration 1, the newest committed checkpoint"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);

        String[] resume = Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        Launcher.Run resumed = Launcher.run(resume);
        assertEquals(0, resumed.status(), resumed.stderr());
        assertTrue(resumed.stdout().contains("resuming " + run + " after iteration 1"), resumed.stdout());
        assertEquals(3, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    }
}
