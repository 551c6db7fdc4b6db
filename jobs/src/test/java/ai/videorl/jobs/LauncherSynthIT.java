package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code bin/videorl synth} through the real launcher (SparkSubmit, the built classpath, FFmpeg's natives). */
class LauncherSynthIT {

    private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();

    @TempDir
    Path directory;

    @Test
    void writesABenchmarkThroughSparkSubmit() throws Exception {
        Path out = directory.resolve("bench");
        ProcessBuilder builder = new ProcessBuilder(List.of(ROOT.resolve("bin/videorl").toString(),
                "synth", "--out", out.toString(), "--videos", "3", "--seed", "1")).directory(ROOT.toFile());
        builder.environment().put("VIDEORL_NO_BUILD", "1");
        Path stdout = Files.createTempFile(directory, "synth", ".out");
        Path stderr = Files.createTempFile(directory, "synth", ".err");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "launcher finished");
        String output = Files.readString(stdout, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));

        for (String video : List.of("000000", "000001", "000002")) {
            assertTrue(Files.size(out.resolve("videos/" + video + ".mp4")) > 500, video);
        }
        assertEquals(15, Files.readAllLines(out.resolve("manifest.jsonl")).size());
        assertEquals(15, Files.readAllLines(out.resolve("references.jsonl")).size());
        assertEquals(3, Files.readAllLines(out.resolve("scenes.jsonl")).size());
        assertTrue(Files.readAllLines(out.resolve("manifest.jsonl")).get(0)
                .startsWith("{\"id\":\"000000-mc\",\"video\":\"videos/000000.mp4\""));
        assertTrue(output.contains("synth: 3 videos, 15 samples (multiple_choice 3, numerical 3, exact_match 3, "
                + "temporal_grounding 3, grounded_qa 3)"), output);
    }
}
