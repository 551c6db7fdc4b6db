package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code bin/videorl} launcher (SparkSubmit, the built classpath) on what {@code package} built. */
class LauncherIT {

    @TempDir
    Path directory;

    @Test
    void scoresAFileReportingItsBadLines() throws Exception {
        Path in = Files.write(directory.resolve("in.jsonl"), List.of(
                "{\"id\": 1, \"problem_type\": \"iou\", \"solution\": [2, 6], \"completion\": \"\\\\boxed{[2, 4]}<think>x</think>\\\\boxed{[2, 6]}\"}",
                "{\"id\": 2, \"problem_type\": \"exact_match\", \"solution\": \"yes\"}"));
        Path out = directory.resolve("out.jsonl");
        Launcher.Run run = Launcher.run("score", "--recipe", "videoauto-r1", "--in", in.toString(), "--out", out.toString(), "--strict");
        assertEquals(1, run.status(), run.stderr());
        assertEquals(List.of("{\"id\":1,\"rewards\":{\"format\":1.0,\"accuracy_first\":0.5,\"accuracy_final\":1.0,"
                + "\"fallback\":0.0,\"total\":2.55}}", "{\"id\":2,\"error\":\"field 'completion': missing\"}"),
                Files.readAllLines(out));
        assertTrue(run.stderr().contains(in + ":2: field 'completion': missing"), run.stderr());
        assertTrue(run.stdout().contains("2 lines: 1 scored, 1 errors"), run.stdout());
    }

    @Test
    void rewardsCanGoToStandardOutputWithTheSummaryOnStandardError() throws Exception {
        Path in = Files.write(directory.resolve("in.jsonl"), List.of(
                "{\"id\": \"x\", \"problem_type\": \"numerical\", \"solution\": \"12\", \"completion\": \"<think>x</think><answer>12</answer>\"}"));
        Launcher.Run run = Launcher.run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", "-");
        assertEquals(0, run.status(), run.stderr());
        assertEquals("{\"id\":\"x\",\"rewards\":{\"format\":1.0,\"accuracy\":1.0,\"total\":2.0}}\n", run.stdout());
        assertTrue(run.stderr().contains("1 lines: 1 scored, 0 errors"), run.stderr());
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Launcher.Run run = Launcher.run("--help");
        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.stdout().contains("score"), run.stdout());
    }
}
