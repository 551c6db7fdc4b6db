package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code bin/videorl} launcher (SparkSubmit, the built classpath) on what {@code package} built. */
class LauncherIT {

    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();

    @TempDir
    Path directory;

    private record Run(int status, String stdout, String stderr) {
    }

    private static Run launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/videorl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("VIDEORL_NO_BUILD", "1");
        Path stdout = Files.createTempFile("launcher", ".out");
        Path stderr = Files.createTempFile("launcher", ".err");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "launcher finished");
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void scoresThroughSparkSubmit() throws Exception {
        Path in = Files.write(directory.resolve("in.jsonl"), List.of(
                "{\"id\": 1, \"problem_type\": \"iou\", \"solution\": [2, 6], \"completion\": \"\\\\boxed{[2, 4]}<think>x</think>\\\\boxed{[2, 6]}\"}",
                "{\"id\": 2, \"problem_type\": \"exact_match\", \"solution\": \"yes\"}"));
        Path out = directory.resolve("out.jsonl");
        Run run = launch("score", "--recipe", "videoauto-r1", "--in", in.toString(), "--out", out.toString(), "--strict");
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
        Run run = launch("score", "--recipe", "video-r2", "--in", in.toString(), "--out", "-");
        assertEquals(0, run.status(), run.stderr());
        assertEquals("{\"id\":\"x\",\"rewards\":{\"format\":1.0,\"accuracy\":1.0,\"total\":2.0}}\n", run.stdout());
        assertTrue(run.stderr().contains("1 lines: 1 scored, 0 errors"), run.stderr());
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Run run = launch("--help");
        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.stdout().contains("score"), run.stdout());
    }
}
