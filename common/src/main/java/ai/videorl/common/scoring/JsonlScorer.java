package ai.videorl.common.scoring;

import ai.videorl.common.data.JsonLines;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.ParsedCompletion;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardScorer;
import ai.videorl.common.reward.RewardTable;
import ai.videorl.common.text.Tokenizer;
import ai.videorl.common.text.Utf8Lines;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores a JSONL file of completions with a recipe, streaming: lines are read, scored and written
 * in batches of a fixed size, so memory stays constant whatever the input size, and output line
 * {@code k} always answers input line {@code k}. A line that cannot be scored is reported to the
 * {@link LineErrors} and written as {@code {"id": …, "error": "…"}}; the run goes on. A rollout a
 * judge could not score under the drop policy carries {@code "dropped": "reason"} beside its rewards.
 */
public final class JsonlScorer {

    /** Receives each bad line's number (1-based) and what is wrong with it. */
    @FunctionalInterface
    public interface LineErrors {
        void report(long lineNumber, String message);
    }

    public static final int DEFAULT_BATCH_SIZE = 512;

    // Schubfach's shortest digits, several times faster than Double.toString's.
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private final Recipe<?> recipe;
    private final Tokenizer tokenizer;
    private final int batchSize;

    public JsonlScorer(Recipe<?> recipe, Tokenizer tokenizer, int batchSize) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** Scores every line of {@code in} into {@code out}; does not close either. */
    public ScoreSummary score(Utf8Lines in, Writer out, LineErrors errors) throws IOException {
        return new Run<>(recipe).score(in, out, errors);
    }

    /** One run, typed by the recipe's parse so the terms and inputs line up without casts. */
    private final class Run<P extends ParsedCompletion> {
        private final Recipe<P> typedRecipe;
        private final RewardScorer<P> scorer;
        private final ScoreSummary.Builder summary;

        Run(Recipe<P> recipe) {
            this.typedRecipe = recipe;
            this.scorer = new RewardScorer<>(recipe.terms());
            this.summary = new ScoreSummary.Builder(scorer.termNames());
        }

        ScoreSummary score(Utf8Lines in, Writer out, LineErrors errors) throws IOException {
            JsonGenerator generator = JSON.createGenerator(out);
            generator.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            List<Line<P>> batch = new ArrayList<>(batchSize);
            long lineNumber = 0;
            Utf8Lines.Line text;
            while ((text = in.next()) != null) {
                lineNumber = text.number();
                batch.add(read(text));
                if (batch.size() == batchSize) {
                    flush(batch, generator, errors);
                    // Each batch reaches the output as soon as it is scored, for consumers reading along.
                    generator.flush();
                }
            }
            flush(batch, generator, errors);
            if (lineNumber > 0) {
                generator.writeRaw('\n');
            }
            generator.flush();
            return summary.build();
        }

        private Line<P> read(Utf8Lines.Line text) {
            long lineNumber = text.number();
            JsonNode id = null;
            try {
                JsonNode json = JsonLines.parse(text.text());
                JsonNode given = json.get("id");
                // Echo the id on an error line only when it is a valid one.
                id = given != null && (given.isTextual() || given.isIntegralNumber()) ? given : null;
                if (!text.valid()) {
                    return Line.failed(lineNumber, id, text.error());
                }
                CompletionRecord record = CompletionRecord.fromJson(json);
                return Line.ok(lineNumber, record.id(), new RewardInput<>(record.sample(), record.completion(),
                        typedRecipe.parse(record.completion()), record.tokens(), tokenizer));
            } catch (VideoRlException e) {
                return Line.failed(lineNumber, id, text.valid() ? e.getMessage() : text.error());
            } catch (RuntimeException e) {
                // A parser broke its never-throw contract: lose this line only, and say it is our bug.
                return Line.failed(lineNumber, id, "internal error while reading this line (please report): " + e);
            }
        }

        private void flush(List<Line<P>> batch, JsonGenerator out, LineErrors errors) throws IOException {
            List<RewardInput<P>> inputs = new ArrayList<>(batch.size());
            for (Line<P> line : batch) {
                if (line.input() != null) {
                    inputs.add(line.input());
                }
            }
            RewardTable table;
            try {
                table = scorer.score(inputs);
            } catch (RuntimeException e) {
                // A term broke its never-throw contract: score line by line so only the culprit is lost.
                for (Line<P> line : batch) {
                    Line<P> scored = isolated(line);
                    write(out, errors, scored, scored.table(), 0);
                }
                batch.clear();
                return;
            }
            summary.unavailable(table.unavailableCounts());
            int row = 0;
            for (Line<P> line : batch) {
                write(out, errors, line, table, line.input() == null ? -1 : row++);
            }
            batch.clear();
        }

        private Line<P> isolated(Line<P> line) {
            if (line.input() == null) {
                return line;
            }
            try {
                RewardTable alone = scorer.score(List.of(line.input()));
                summary.unavailable(alone.unavailableCounts());
                return line.withTable(alone);
            } catch (RuntimeException e) {
                return Line.failed(line.number(), line.id(), "internal error while scoring (please report): " + e);
            }
        }

        /** Writes one output line: the line's error, or row {@code row} of {@code table}. */
        private void write(JsonGenerator out, LineErrors errors, Line<P> line, RewardTable table, int row)
                throws IOException {
            summary.line();
            out.writeStartObject();
            out.writeFieldName("id");
            // Written by hand: ObjectMapper.writeTree would flush the output after every id.
            if (line.id() == null) {
                out.writeNull();
            } else if (line.id().canConvertToLong()) {
                out.writeNumber(line.id().longValue());
            } else if (line.id().isIntegralNumber()) {
                out.writeNumber(line.id().bigIntegerValue());
            } else {
                out.writeString(line.id().asText());
            }
            if (line.input() == null) {
                summary.error();
                errors.report(line.number(), line.error());
                out.writeStringField("error", line.error());
            } else {
                writeRewards(out, table, row);
                String dropped = table.dropped().get(row);
                if (dropped != null) {
                    summary.dropped();
                    out.writeStringField("dropped", dropped);
                }
            }
            out.writeEndObject();
        }

        private void writeRewards(JsonGenerator out, RewardTable table, int row) throws IOException {
            out.writeObjectFieldStart("rewards");
            int term = 0;
            for (String name : table.names()) {
                double value = table.get(row, name);
                summary.add(term++, value);
                out.writeNumberField(name, value);
            }
            out.writeEndObject();
        }
    }

    /** A read line: a scorable input (scored alone into {@code table} after a batch failure), or why it is not one. */
    private record Line<P>(long number, JsonNode id, RewardInput<P> input, String error, RewardTable table) {
        static <P> Line<P> ok(long number, JsonNode id, RewardInput<P> input) {
            return new Line<>(number, id, input, null, null);
        }

        static <P> Line<P> failed(long number, JsonNode id, String error) {
            return new Line<>(number, id, null, error, null);
        }

        Line<P> withTable(RewardTable scored) {
            return new Line<>(number, id, input, null, scored);
        }
    }
}
