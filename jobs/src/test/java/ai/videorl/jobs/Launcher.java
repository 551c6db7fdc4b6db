package ai.videorl.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code bin/videorl} on what {@code package} built (SparkSubmit, the built classpath, the natives). */
final class Launcher {

    static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();

    /** What a run printed and how it ended. */
    record Run(int status, String stdout, String stderr) {
    }

    private Launcher() {
    }

    static Run run(String... args) throws IOException, InterruptedException {
        return script(Map.of(), "bin/videorl", args);
    }

    /**
     * Starts {@code bin/videorl} without waiting, with extra environment variables; its standard
     * output and error go to {@code output}.
     */
    static Process start(Map<String, String> environment, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/videorl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("VIDEORL_NO_BUILD", "1");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs {@code script} (relative to the repository) with extra environment variables. */
    static Run script(Map<String, String> environment, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("VIDEORL_NO_BUILD", "1");
        builder.environment().putAll(environment);
        Path stdout = Files.createTempFile("launcher", ".out");
        Path stderr = Files.createTempFile("launcher", ".err");
        try {
            Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), script + " " + String.join(" ", args) + " finished");
            return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
