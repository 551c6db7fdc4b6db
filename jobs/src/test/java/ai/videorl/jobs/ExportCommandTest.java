package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export} on the LoRA fixtures of {@code scripts/qwen-fixtures/generate_lora.py}: the adapter
 * written back as PEFT wrote it, the merged checkpoint with the base's files, and an existing
 * {@code --out} refused before any work. (The merged weights themselves: {@code LoraMergeTest}.)
 */
class ExportCommandTest {

    private static final Path QWEN = Path.of("../cluster/src/test/resources/qwen");
    private static final Path BASE = QWEN.resolve("models/small-tied");
    private static final Path ADAPTER = QWEN.resolve("lora/lm-all/adapter");

    @TempDir
    Path directory;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = VideoRl.commandLine("export");
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesTheAdapterOrTheMergedCheckpoint() throws IOException {
        Path adapter = directory.resolve("adapter");
        assertEquals(0, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(), "--out", adapter.toString(),
                "--cache", directory.resolve("cache").toString()), err.toString());
        assertArrayEquals(Files.readAllBytes(ADAPTER.resolve("adapter_model.safetensors")),
                Files.readAllBytes(adapter.resolve("adapter_model.safetensors")));

        Path merged = directory.resolve("merged");
        assertEquals(0, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(), "--out", merged.toString(),
                "--merged", "--cache", directory.resolve("cache").toString()), err.toString());
        assertEquals(List.of("case.json", "config.json", "generation_config.json", "model.safetensors"), names(merged));
        assertArrayEquals(Files.readAllBytes(BASE.resolve("config.json")), Files.readAllBytes(merged.resolve("config.json")));
        assertFalse(List.of(Files.readAllBytes(BASE.resolve("model.safetensors"))).equals(
                List.of(Files.readAllBytes(merged.resolve("model.safetensors")))));
    }

    @Test
    void anExistingOutIsRefusedBeforeAnyWork() throws IOException {
        Path out = Files.createDirectories(directory.resolve("taken"));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--model", BASE.toString(), "--adapter", ADAPTER.toString(),
                "--out", out.toString(), "--merged"));
        assertTrue(err.toString().contains("--out " + out + " already exists"), err.toString());
        assertEquals(List.of(), names(out));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("export", "--model", QWEN.resolve("models/bf16-real-vocab").toString(),
                "--adapter", ADAPTER.toString(), "--out", directory.resolve("other").toString()));
        assertTrue(err.toString().contains("another base"), err.toString());
        assertFalse(Files.exists(directory.resolve("other")));
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
