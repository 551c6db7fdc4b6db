package ai.videorl.common.scoring;

import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.recipe.VideoR2;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms;
import ai.videorl.common.text.Utf8Lines;
import ai.videorl.common.text.WordPunctTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlScorerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INPUT = String.join("\n",
            "{\"id\": \"q1\", \"problem_type\": \"multiple choice\", \"solution\": \"B\", \"completion\": \"\\\\boxed{B}<think>x</think>\\\\boxed{B}\", \"video\": \"kept.mp4\"}",
            "{\"id\": 2, \"problem_type\": \"iou\", \"solution\": [2, 6], \"completion\": \"\\\\boxed{[2, 4]}<think>x</think>\\\\boxed{[2, 6]}\"}",
            "{\"id\": \"q3\", \"problem_type\": \"colour\", \"solution\": \"B\", \"completion\": \"x\"}",
            "{not json",
            "",
            "{\"id\": \"q6\", \"problem_type\": \"numerical\", \"solution\": \"3\"}",
            "{\"id\": \"q7\", \"problem_type\": \"gqa\", \"solution\": {\"answer\": \"red\", \"segment\": [1, 3]}, \"completion\": \"garbage\"}");

    private record Result(List<JsonNode> lines, List<String> errors, ScoreSummary summary) {
    }

    private static Result run(Recipe<?> recipe, String input, int batchSize) throws IOException {
        return run(recipe, input.getBytes(StandardCharsets.UTF_8), batchSize);
    }

    private static Result run(Recipe<?> recipe, byte[] input, int batchSize) throws IOException {
        StringWriter out = new StringWriter();
        List<String> errors = new ArrayList<>();
        ScoreSummary summary = new JsonlScorer(recipe, WordPunctTokenizer.INSTANCE, batchSize)
                .score(new Utf8Lines(new ByteArrayInputStream(input)), out, (line, message) -> errors.add(line + ": " + message));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertTrue(out.toString().isEmpty() || out.toString().endsWith("}\n"), "every line ends with a newline");
        return new Result(lines, errors, summary);
    }

    @Test
    void writesOneLinePerInputLineInOrderWithErrorsInPlace() throws IOException {
        Result result = run(new VideoAutoR1(), INPUT, 512);
        assertEquals(7, result.lines().size());
        assertEquals("{\"id\":\"q1\",\"rewards\":{\"format\":1.0,\"accuracy_first\":1.0,\"accuracy_final\":1.0,\"fallback\":0.0,\"total\":3.0}}",
                result.lines().get(0).toString());
        JsonNode second = result.lines().get(1);
        assertEquals(2, second.get("id").asInt(), "numeric ids stay numbers");
        assertEquals(0.5, second.at("/rewards/accuracy_first").asDouble(), 1e-12);
        assertEquals(0.9 * 0.5 + 1.1 + 1.0, second.at("/rewards/total").asDouble(), 1e-12);

        assertEquals("q3", result.lines().get(2).get("id").asText());
        assertTrue(result.lines().get(2).get("error").asText().contains("problem_type"));
        assertTrue(result.lines().get(3).get("id").isNull());
        assertTrue(result.lines().get(3).get("error").asText().startsWith("not valid JSON"));
        assertEquals("empty line", result.lines().get(4).get("error").asText());
        assertEquals("field 'completion': missing", result.lines().get(5).get("error").asText());
        assertEquals(0.0, result.lines().get(6).at("/rewards/total").asDouble());

        assertEquals(List.of(3L, 4L, 5L, 6L), result.errors().stream().map(e -> Long.parseLong(e.split(":")[0])).toList());
        assertEquals(7, result.summary().lines());
        assertEquals(4, result.summary().errors());
        assertEquals((3.0 + 2.55 + 0.0) / 3, result.summary().means().get("total"), 1e-12);
        assertEquals(List.of("format", "accuracy_first", "accuracy_final", "fallback", "total"),
                List.copyOf(result.summary().means().keySet()));
    }

    @Test
    void batchSizeDoesNotChangeTheOutput() throws IOException {
        assertEquals(run(new VideoAutoR1(), INPUT, 512).lines(), run(new VideoAutoR1(), INPUT, 2).lines());
        assertEquals(run(new VideoAutoR1(), INPUT, 512).lines(), run(new VideoAutoR1(), INPUT, 1).lines());
    }

    @Test
    void emptyInputGivesEmptyOutput() throws IOException {
        Result result = run(new VideoR2(), "", 4);
        assertEquals(List.of(), result.lines());
        assertEquals(0, result.summary().lines());
    }

    @Test
    void aTermThatThrowsLosesOnlyItsOwnLine() throws IOException {
        VideoR2 base = new VideoR2();
        Recipe<VideoR2.Parsed> fragile = new Recipe<>() {
            @Override
            public String name() {
                return "fragile";
            }

            @Override
            public String instructions() {
                return base.instructions();
            }

            @Override
            public VideoR2.Parsed parse(String completion) {
                return base.parse(completion);
            }

            @Override
            public List<RewardTerm<VideoR2.Parsed>> scoredTerms() {
                List<RewardTerm<VideoR2.Parsed>> terms = new ArrayList<>(base.scoredTerms());
                terms.add(0, RewardTerms.pointwise("fragile", (input, earlier) -> {
                    if (input.completion().contains("boom")) {
                        throw new IllegalStateException("boom");
                    }
                    return 0;
                }));
                return terms;
            }

            @Override
            public List<RewardTerms.Weight> totalWeights() {
                return base.totalWeights();
            }
        };
        String input = String.join("\n",
                "{\"id\": 1, \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"completion\": \"<think>x</think><answer>yes</answer>\"}",
                "{\"id\": 2, \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"completion\": \"boom\"}",
                "{\"id\": 3, \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"completion\": \"<think>x</think><answer>no</answer>\"}");
        Result result = run(fragile, input, 8);
        assertEquals(2.0, result.lines().get(0).at("/rewards/total").asDouble());
        assertTrue(result.lines().get(1).get("error").asText().contains("internal error"), result.lines().get(1).toString());
        assertEquals(1.0, result.lines().get(2).at("/rewards/total").asDouble());
        assertEquals(1, result.summary().errors());
    }

    @Test
    void aLineThatIsNotUtf8IsABadLineAndTheRunGoesOn() throws IOException {
        String good = "{\"id\": \"g\", \"problem_type\": \"exact_match\", \"solution\": \"yes\", "
                + "\"completion\": \"<think></think><answer>yes</answer>\"}\n";
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int i = 0; i < 1500; i++) {
            input.writeBytes(good.getBytes(StandardCharsets.UTF_8));
        }
        // Line 1,501: a lone 0xFF inside the completion (byte 80 of the line).
        input.writeBytes("{\"id\": \"bad\", \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"completion\": \"".getBytes(
                StandardCharsets.UTF_8));
        input.write(0xFF);
        input.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 1500; i++) {
            input.writeBytes(good.getBytes(StandardCharsets.UTF_8));
        }
        Result result = run(new VideoR2(), input.toByteArray(), 512);
        assertEquals(3001, result.lines().size(), "every line answered");
        JsonNode bad = result.lines().get(1500);
        assertEquals("bad", bad.get("id").asText(), "the id is read where it can be");
        assertEquals("not valid UTF-8 (byte 80 of the line)", bad.get("error").asText());
        assertEquals(List.of("1501: not valid UTF-8 (byte 80 of the line)"), result.errors());
        assertEquals(2.0, result.lines().get(3000).at("/rewards/total").asDouble(), "lines after it are scored");
        assertEquals(1, result.summary().errors());
    }

    @Test
    void streamsBatchesOutBeforeTheInputEnds() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(feed, 1 << 16);
        CountDownLatch firstBatchOut = new CountDownLatch(1);
        StringBuilder received = new StringBuilder();
        Writer out = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                received.append(buffer, offset, length);
            }

            @Override
            public void flush() {
                if (received.length() > 0) {
                    firstBatchOut.countDown();
                }
            }

            @Override
            public void close() {
            }
        };
        JsonlScorer scorer = new JsonlScorer(new VideoR2(), WordPunctTokenizer.INSTANCE, 2);
        CompletableFuture<ScoreSummary> run = CompletableFuture.supplyAsync(() -> {
            try {
                return scorer.score(new Utf8Lines(pipe), out, (line, message) -> { });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String line = "{\"id\": 1, \"problem_type\": \"exact_match\", \"solution\": \"yes\", \"completion\": \"<think></think><answer>yes</answer>\"}\n";
        feed.write((line + line).getBytes(StandardCharsets.UTF_8));
        feed.flush();
        assertTrue(firstBatchOut.await(30, TimeUnit.SECONDS), "the first batch is written while input is still open");
        assertEquals(2, received.toString().split("\n").length);
        feed.write(line.getBytes(StandardCharsets.UTF_8));
        feed.close();
        assertEquals(3, run.get(30, TimeUnit.SECONDS).lines());
    }
}
