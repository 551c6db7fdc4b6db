package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {

    @TempDir
    Path directory;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = VideoRl.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesASmallBenchmark() throws IOException {
        Path out = directory.resolve("bench");
        assertEquals(0, run("synth", "--out", out.toString(), "--videos", "2", "--seed", "3",
                "--width", "64", "--height", "48", "--fps", "4", "--duration", "2.5"), err.toString());
        assertTrue(Files.size(out.resolve("videos/000001.mp4")) > 0);
        assertEquals(10, Files.readAllLines(out.resolve("manifest.jsonl")).size());
        assertTrue(Files.readString(out.resolve("scenes.jsonl")).contains("\"width\":64,\"height\":48,\"fps\":4,\"duration\":2.5,\"frames\":10"));
    }

    @Test
    void aBadFormatIsOneClearLine() {
        int status = run("synth", "--out", directory.resolve("x").toString(), "--videos", "1", "--duration", "3.3");
        assertEquals(VideoRl.USER_ERROR_EXIT, status);
        assertTrue(err.toString().startsWith("videorl synth: duration must be a multiple of 0.5 s"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void theOutputDirectoryIsRequired() {
        assertEquals(VideoRl.USER_ERROR_EXIT, run("synth", "--videos", "1"));
        assertTrue(err.toString().contains("--out"), err.toString());
    }
}
