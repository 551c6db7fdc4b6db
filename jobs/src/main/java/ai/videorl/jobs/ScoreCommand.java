package ai.videorl.jobs;

import ai.videorl.cluster.judge.JudgeEndpoint;
import ai.videorl.cluster.reward.ConfiguredServices;
import ai.videorl.cluster.store.TextFiles;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.Recipe;
import ai.videorl.common.recipe.Recipes;
import ai.videorl.common.scoring.JsonlScorer;
import ai.videorl.common.scoring.ScoreSummary;
import ai.videorl.common.text.Utf8Lines;
import ai.videorl.common.text.WordPunctTokenizer;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
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

    @Option(names = "--strict", description = "exit with status 1 at the end if any line could not be scored or any judged "
            + "term got no verdict")
    private boolean strict;

    @Option(names = "--batch-size", defaultValue = "" + JsonlScorer.DEFAULT_BATCH_SIZE,
            description = "lines scored together (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--judge-url", paramLabel = "URL",
            description = "an OpenAI-compatible server (/v1/chat/completions) judging VideoP2R's observations and Video-R2's consistency")
    private String judgeUrl;

    @Option(names = "--judge-model", description = "the model name the judge server expects")
    private String judgeModel;

    @Option(names = "--judge-key-env", paramLabel = "VARIABLE",
            description = "environment variable holding the judge's API key, when no Hadoop credential provider has "
                    + "videorl.judge.api.key (default: OPENAI_API_KEY)")
    private String judgeKeyVariable;

    @Option(names = "--rule-judge", description = "judge with the samples' facts and the reasoning's conclusion instead of an LLM")
    private boolean ruleJudge;

    @Option(names = "--judge-break-after", paramLabel = "N", defaultValue = "20",
            description = "questions in a row the judge may fail (after its retries) before it is no longer called, only "
                    + "tried again once a minute (default: ${DEFAULT-VALUE})")
    private int judgeBreakAfter;

    @Option(names = "--judge-failure", paramLabel = "zero|drop",
            description = "a rollout the judge cannot score after its retries scores 0 (zero, the default) or is dropped (drop)")
    private String judgeFailure;

    @Option(names = "--embedder", paramLabel = "minilm|lexical",
            description = "sentence embedder for Video-R2's temporal alignment (with a judge): all-MiniLM-L6-v2 or lexical")
    private String embedder;

    @Option(names = "--claims", paramLabel = "rules|llm",
            description = "how Video-R2's timestamped claims are read: the deterministic parser (rules, the default) "
                    + "or the judge's server (llm)")
    private String claims;

    @Option(names = "--tar-score", paramLabel = "precision|f1",
            description = "temporal alignment as the paper's precision (the default) or F1")
    private String tarScore;

    /**
     * Every option is checked, the services built and the input opened before the output is
     * touched; the output is written whole or not at all (TextFiles.writeWhole), so a failed run
     * leaves an existing file as it was.
     */
    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw VideoRlException.invalidConfiguration("--batch-size must be at least 1, got " + batchSize);
        }
        if (TextFiles.sameFile(input, output)) {
            throw VideoRlException.invalidConfiguration("--out names the --in file (" + output + "): it would be overwritten");
        }
        if (judgeBreakAfter < 1) {
            throw VideoRlException.invalidConfiguration("--judge-break-after must be at least 1, got " + judgeBreakAfter);
        }
        Recipes.create(recipe);
        ConfiguredServices.Options wanted = new ConfiguredServices.Options(judgeUrl, judgeModel, judgeKeyVariable, ruleJudge,
                embedder, judgeFailure, claims, tarScore, JudgeEndpoint.Limits.DEFAULTS.withBreakAfter(judgeBreakAfter));
        // With the rewards on standard output, everything else goes to standard error.
        PrintStream console = TextFiles.STANDARD_STREAM.equals(output) ? System.err : System.out;
        ScoreSummary summary;
        Recipe<?> chosen;
        try (ConfiguredServices services = ConfiguredServices.create(wanted, Configuration::new);
             Utf8Lines in = new Utf8Lines(TextFiles.input(input))) {
            chosen = Recipes.create(recipe, services.services());
            JsonlScorer scorer = new JsonlScorer(chosen, WordPunctTokenizer.INSTANCE, batchSize);
            summary = TextFiles.writeWhole(output, out ->
                    scorer.score(in, out, (line, message) -> System.err.println(input + ":" + line + ": " + message)));
        }
        console.print("score (" + chosen.name() + ") " + input + " -> " + output + ": " + summary.format());
        boolean unjudged = summary.unavailable().values().stream().anyMatch(count -> count > 0);
        return strict && (summary.errors() > 0 || unjudged) ? 1 : 0;
    }
}
