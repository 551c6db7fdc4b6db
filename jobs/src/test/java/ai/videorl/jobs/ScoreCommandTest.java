package ai.videorl.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {

    @TempDir
    Path directory;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = VideoRl.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path input(String... lines) throws IOException {
        return Files.write(directory.resolve("in.jsonl"), List.of(lines));
    }

    private static final String GOOD = "{\"id\": \"a\", \"problem_type\": \"multiple choice\", \"solution\": \"B\", "
            + "\"completion\": \"<observation>red</observation><think>so</think><answer>B</answer>\"}";

    @Test
    void scoresAFileIntoAnother() throws IOException {
        Path out = directory.resolve("nested/out.jsonl");
        assertEquals(0, run("score", "--recipe", "videop2r", "--in", input(GOOD).toString(), "--out", out.toString()));
        assertEquals(List.of("{\"id\":\"a\",\"rewards\":{\"format_perception\":1.0,\"format_reasoning\":1.0,"
                + "\"accuracy_reasoning\":1.0,\"length_perception\":0.0,\"length_reasoning\":0.0,\"total\":3.0}}"),
                Files.readAllLines(out));
    }

    @Test
    void badOptionsLeaveAnExistingOutputAsItWas() throws IOException {
        Path in = input(GOOD);
        Path out = Files.writeString(directory.resolve("out.jsonl"), "earlier results\n");
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2", "--in", in.toString(), "--out", out.toString()));
        assertTrue(err.toString().contains("unknown recipe 'videop2'"), err.toString());
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(),
                "--batch-size", "0"));
        assertTrue(err.toString().contains("--batch-size must be at least 1, got 0"), err.toString());
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2r", "--in", directory.resolve("none.jsonl").toString(),
                "--out", out.toString()));
        assertTrue(err.toString().contains("none.jsonl does not exist"), err.toString());
        assertEquals("earlier results\n", Files.readString(out));
        // The input named as the output too, however spelt, is refused before either is touched.
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out",
                directory.resolve("sub/../in.jsonl").toString()));
        assertTrue(err.toString().contains("--out names the --in file"), err.toString());
        assertEquals(List.of(GOOD), Files.readAllLines(in));
        try (var files = Files.list(directory)) {
            assertEquals(List.of(), files.filter(file -> file.getFileName().toString().endsWith(".partial")).toList(),
                    "no partial file is left behind");
        }
    }

    @Test
    void aLineThatIsNotUtf8IsReportedWithItsFileAndLineAndEveryLineIsWritten() throws IOException {
        Path in = directory.resolve("in.jsonl");
        byte[] bad = "{\"id\": \"b\", \"completion\": \"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        try (var stream = Files.newOutputStream(in)) {
            stream.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
            stream.write(bad);
            stream.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path out = directory.resolve("out.jsonl");
        assertEquals(1, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(), "--strict"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertEquals("{\"id\":\"b\",\"error\":\"not valid UTF-8 (byte 28 of the line)\"}", lines.get(1));
        assertTrue(lines.get(2).contains("\"total\":3.0"), lines.get(2));
    }

    @Test
    void strictFailsAtTheEndWhenALineWasBad() throws IOException {
        Path in = input(GOOD, "{\"id\": \"b\"}", GOOD);
        Path out = directory.resolve("out.jsonl");
        assertEquals(0, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", out.toString()));
        assertEquals(3, Files.readAllLines(out).size());
        assertEquals(1, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", out.toString(), "--strict"));
        assertEquals(3, Files.readAllLines(out).size(), "strict still writes every line");
    }

    @Test
    void aJudgeAndAnEmbedderAddTheGatedTemporalAlignment() throws IOException {
        Path in = input("{\"id\": \"r\", \"problem\": \"Which colour came first?\", \"problem_type\": \"multiple choice\", "
                + "\"solution\": \"B\", \"temporal_grounding\": {\"00:01-00:03\": \"a red square is visible\"}, "
                + "\"completion\": \"<think>At 00:01-00:03 a red square is visible. So the answer is B.</think><answer>B</answer>\"}");
        Path out = directory.resolve("out.jsonl");
        assertEquals(0, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", out.toString(), "--rule-judge",
                "--embedder", "lexical"));
        assertEquals(List.of("{\"id\":\"r\",\"rewards\":{\"format\":1.0,\"accuracy\":1.0,\"tar\":1.0,\"consistency\":1.0,"
                + "\"tar_gated\":1.0,\"total\":3.0}}"), Files.readAllLines(out));
    }

    @Test
    void theF1VariantCountsUnmatchedGroundTruthToo() throws IOException {
        // Two claims predicted, one matched, one ground-truth claim: precision 1/2, recall 1, F1 2/3.
        Path in = input("{\"id\": \"r\", \"problem_type\": \"multiple choice\", \"solution\": \"B\", "
                + "\"temporal_grounding\": {\"00:01-00:03\": \"a red square is visible\"}, \"completion\": "
                + "\"<think>At 00:02 a red square is visible. At 00:30 a car drives by. So it is B.</think><answer>B</answer>\"}");
        Path precision = directory.resolve("precision.jsonl");
        Path f1 = directory.resolve("f1.jsonl");
        assertEquals(0, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", precision.toString(),
                "--rule-judge", "--embedder", "lexical"));
        assertEquals(0, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", f1.toString(),
                "--rule-judge", "--embedder", "lexical", "--tar-score", "f1"));
        assertTrue(Files.readString(precision).contains("\"tar\":0.5,"), Files.readString(precision));
        assertTrue(Files.readString(f1).contains("\"tar\":0.6666666666666666,"), Files.readString(f1));
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "video-r2", "--in", in.toString(), "--out", "-",
                "--rule-judge", "--claims", "llm"), "an LLM extractor needs a judge URL");
    }

    @Test
    void underTheDropPolicyAnUnjudgedRolloutIsMarkedDropped() throws IOException {
        Path in = input("{\"id\": \"p\", \"problem_type\": \"multiple choice\", \"solution\": \"B\", "
                + "\"completion\": \"<observation>red</observation><think>so</think><answer>B</answer>\"}");
        Path out = directory.resolve("out.jsonl");
        assertEquals(0, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(), "--rule-judge",
                "--judge-failure", "drop"));
        String line = Files.readAllLines(out).get(0);
        assertTrue(line.contains("\"accuracy_perception\":0.0"), line);
        assertTrue(line.contains("\"dropped\":\"accuracy_perception: the sample has no facts"), line);
        assertEquals(1, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(), "--rule-judge",
                "--strict"), "strict fails a run in which a verdict was unavailable");
    }

    @Test
    void aDeadJudgeIsNamedOnceAndStrictFailsTheRun() throws IOException {
        // Nothing listens on port 9 of loopback: every question fails at once.
        Path in = input(GOOD, GOOD.replace("\"a\"", "\"b\"").replace("red", "blue"));
        Path out = directory.resolve("out.jsonl");
        assertEquals(1, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(),
                "--judge-url", "http://127.0.0.1:9", "--judge-model", "m", "--judge-break-after", "1", "--strict"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        assertTrue(lines.stream().allMatch(line -> line.contains("\"accuracy_perception\":0.0")), lines.toString());
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2r", "--in", in.toString(), "--out", out.toString(),
                "--judge-url", "http://127.0.0.1:9", "--judge-model", "m", "--judge-break-after", "0"));
        assertTrue(err.toString().contains("--judge-break-after must be at least 1"), err.toString());
    }

    @Test
    void conflictingJudgesAreAUsageError() throws IOException {
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "videop2r", "--in", input(GOOD).toString(), "--out", "-",
                "--rule-judge", "--judge-url", "http://127.0.0.1:9"));
        assertTrue(err.toString().contains("either a judge URL or the rule judge"), err.toString());
    }

    @Test
    void anUnknownRecipeIsOneClearLine() throws IOException {
        int status = run("score", "--recipe", "r1", "--in", input(GOOD).toString(), "--out", "-");
        assertEquals(VideoRl.USER_ERROR_EXIT, status);
        assertTrue(err.toString().startsWith("videorl score: unknown recipe 'r1'; expected one of [videop2r"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void aMissingInputFileIsAUserErrorNamingItAndNoOutputIsMade() {
        Path missing = directory.resolve("missing.jsonl");
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "video-r2", "--in", missing.toString(), "--out",
                directory.resolve("o").toString()));
        assertTrue(err.toString().contains("missing.jsonl does not exist"), err.toString());
        assertFalse(Files.exists(directory.resolve("o")));
    }

    @Test
    void missingOptionsAreUsageErrors() {
        assertEquals(VideoRl.USER_ERROR_EXIT, run("score", "--recipe", "video-r2"));
        assertTrue(err.toString().contains("--in"), err.toString());
    }
}
