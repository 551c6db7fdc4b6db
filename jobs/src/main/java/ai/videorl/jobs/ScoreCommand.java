package ai.videorl.jobs;

import ai.videorl.cluster.store.TextFiles;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.scoring.JsonlScorer;
import ai.videorl.common.scoring.ScoreSummary;
import ai.videorl.common.text.WordPunctTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.concurrent.Callable;

/** {@code score}: offline reward scoring of a JSONL file of completions. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores completions with a recipe's reward terms, streaming: one output line per input line, same order.",
            "Input lines need id, problem_type, solution and completion (problem, options, token_offsets optional).",
            "Output lines are {\"id\": …, \"rewards\": {TERM: value, …, \"total\": value}} or {\"id\": …, \"error\": …}."})
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--recipe", required = true, description = "videop2r, videoauto-r1 or video-r2")
    private String recipe;

    @Option(names = "--in", required = true, paramLabel = "IN.jsonl",
            description = "completions to score: a path, a Hadoop URI (s3a://, hdfs://) or - for standard input")
    private String input;

    @Option(names = "--out", required = true, paramLabel = "OUT.jsonl",
            description = "where to write the rewards: a path, a Hadoop URI or - for standard output")
    private String output;

    @Option(names = "--strict", description = "exit with status 1 at the end if any line could not be scored")
    private boolean strict;

    @Option(names = "--batch-size", defaultValue = "" + JsonlScorer.DEFAULT_BATCH_SIZE,
            description = "lines scored together (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Override
    public Integer call() throws IOException {
        Recipe<?> chosen = Recipes.create(recipe);
        JsonlScorer scorer = new JsonlScorer(chosen, WordPunctTokenizer.INSTANCE, batchSize);
        // With the rewards on standard output, everything else goes to standard error.
        PrintStream console = TextFiles.STANDARD_STREAM.equals(output) ? System.err : System.out;
        ScoreSummary summary;
        try (BufferedReader in = TextFiles.reader(input); Writer out = TextFiles.writer(output)) {
            summary = scorer.score(in, out, (line, message) -> System.err.println(input + ":" + line + ": " + message));
        }
        console.print("score (" + chosen.name() + ") " + input + " -> " + output + ": " + summary.format());
        return strict && summary.errors() > 0 ? 1 : 0;
    }
}
