package ai.videorl.jobs;

import ai.videorl.cluster.eval.EvalOptions;
import ai.videorl.cluster.eval.Evaluation;
import ai.videorl.cluster.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eval}: a checkpoint's policy on a manifest, with or without VideoAuto-R1's early exit. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Greedy answers of a checkpoint's policy to every prompt of a manifest, decoded on the executors and scored",
            "by the checkpoint's recipe: accuracy, IoU, tokens per answer, think rate, consistency, overall and per type.",
            "--early-exit stops decoding after a confident first answer (VideoAuto-R1); a full decode also prints",
            "the accuracy/tokens curve over --sweep; --baseline compares the answers with an earlier eval's, question by question."})
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "C",
            description = "a run directory (its newest committed checkpoint) or one RUN_DIR/checkpoints/iteration-N directory")
    private String checkpoint;

    @Option(names = "--manifest", required = true, paramLabel = "M", description = "the prompts: a manifest (JSONL) or a prepared dataset")
    private String manifest;

    @Option(names = "--early-exit", description = "decode VideoAuto-R1 in two stages: stop after the first answer when its confidence is at least --tau")
    private boolean earlyExit;

    @Option(names = "--tau", defaultValue = "0.97", description = "the early exit's confidence threshold (default: ${DEFAULT-VALUE})")
    private double tau;

    @Option(names = "--sweep", split = ",", paramLabel = "TAU",
            defaultValue = "0.5,0.7,0.8,0.9,0.95,0.97,0.99",
            description = "thresholds to work the early exit out at from a full decode (default: ${DEFAULT-VALUE})")
    private List<Double> sweep = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the JSON report (local path or Hadoop URI)")
    private String out;

    @Option(names = "--responses", paramLabel = "DIR", description = "also write every scored response as Parquet here")
    private String responses;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "an earlier eval's --responses of the same prompts: prints and reports the gain over it, question by question,"
                    + " with its standard error (needs --responses)")
    private String baseline;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a setting over the checkpoint's stored configuration, e.g. --set rollout.max_new_tokens=64 (repeatable)")
    private List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        EvalOptions options = new EvalOptions(checkpoint, manifest, earlyExit, tau, sweep, out, responses, baseline, overrides);
        SparkSession spark = SparkSessions.forJob("eval");
        Evaluation.Report report = Evaluation.run(spark, options);
        Evaluation.table(report).forEach(System.out::println);
        System.out.println("report: " + out);
        return 0;
    }
}
