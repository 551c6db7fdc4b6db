package ai.videorl.cluster.eval;

import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.train.Evaluator;
import ai.videorl.cluster.train.PairedGain;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.train.StageContext;
import ai.videorl.cluster.train.TrainingData;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code eval} job: a checkpoint's policy answers every prompt of a manifest, greedily, on the
 * executors; the report goes to a JSON file and a table to the console.
 */
public final class Evaluation {

    /** What was evaluated and how it did; {@code gain} over the baseline's answers, or null without one. */
    public record Report(EvalCheckpoint checkpoint, Evaluator.Decoding decoding, Evaluator.Result result, PairedGain gain,
                         double wallSeconds) {
    }

    private Evaluation() {
    }

    public static Report run(SparkSession spark, EvalOptions options) throws IOException {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        EvalCheckpoint checkpoint = EvalCheckpoint.resolve(options.checkpoint(), options.overrides(), hadoop);
        StageContext context = StageContext.forPolicy(checkpoint.config(), checkpoint.vocabulary(), checkpoint.loaded().weights().spec(),
                VideoCacheConfig.defaults(), new SerializableConfiguration(hadoop));
        int maxNewTokens = checkpoint.config().rollout().maxNewTokens();
        Evaluator.Decoding decoding = options.earlyExit() ? Evaluator.Decoding.earlyExit(maxNewTokens, options.threshold())
                : Evaluator.Decoding.full(maxNewTokens);
        Dataset<Row> prompts = TrainingData.load(spark, options.manifest(), TrainingData.Split.ALL, "--manifest");
        // Read before decoding, so that a wrong --baseline fails in seconds rather than after the whole evaluation.
        Dataset<Row> baseline = options.baseline() == null ? null : baseline(spark, options.baseline(), hadoop);
        Evaluator.Result result = Evaluator.evaluate(spark, prompts, checkpoint.loaded().weights(), context, decoding, options.sweep(),
                options.responses());
        PairedGain gain = baseline == null ? null : PairedGain.of(baseline, spark.read().parquet(options.responses()));
        Report report = new Report(checkpoint, decoding, result, gain, (System.nanoTime() - start) / 1e9);
        RunFiles.writeJson(options.out(), toJson(report, options), hadoop);
        return report;
    }

    private static Dataset<Row> baseline(SparkSession spark, String path, Configuration hadoop) throws IOException {
        if (!RunFiles.exists(path, hadoop)) {
            // Spark's own "path does not exist" would not name the option.
            throw VideoRlException.invalidConfiguration("--baseline " + path + " does not exist: give the --responses directory of an"
                    + " earlier eval of the same prompts");
        }
        return spark.read().parquet(path);
    }

    /** The console table: one line per problem type, then overall, then the τ curve and the gain over the baseline if there are. */
    public static List<String> table(Report report) {
        List<String> lines = new ArrayList<>();
        String format = "%-20s %6s %9s %8s %8s %7s %12s";
        lines.add(String.format(Locale.ROOT, format, "problem type", "n", "accuracy", "tokens", "thought", "iou", "consistency"));
        report.result().byType().forEach((type, scores) -> lines.add(row(format, type, scores)));
        lines.add(row(format, "overall", report.result().overall()));
        if (!report.result().sweep().isEmpty()) {
            lines.add("");
            lines.add("early exit at τ (from the full decode):");
            lines.add(String.format(Locale.ROOT, "%-8s %9s %8s %8s", "tau", "accuracy", "tokens", "thought"));
            for (Evaluator.SweepPoint point : report.result().sweep()) {
                lines.add(String.format(Locale.ROOT, "%-8.3f %9.3f %8.1f %8.3f", point.threshold(), point.accuracy(), point.tokensPerAnswer(),
                        point.thinkRate()));
            }
        }
        if (report.gain() != null) {
            lines.add("");
            lines.add("against the baseline, " + report.gain().describeOver("questions"));
        }
        lines.add(String.format(Locale.ROOT, "%s, %s decode, %.1f s", report.checkpoint().checkpoint(),
                report.decoding().earlyExit() ? "early-exit (τ " + report.decoding().threshold() + ")" : "full", report.wallSeconds()));
        return lines;
    }

    private static String row(String format, String label, Evaluator.Scores scores) {
        return String.format(Locale.ROOT, format, label, scores.prompts(), String.format(Locale.ROOT, "%.3f", scores.accuracy()),
                String.format(Locale.ROOT, "%.1f", scores.tokensPerAnswer()), String.format(Locale.ROOT, "%.3f", scores.thinkRate()),
                scores.iou() == null ? "-" : String.format(Locale.ROOT, "%.3f", scores.iou()),
                scores.consistencyRate() == null ? "-" : String.format(Locale.ROOT, "%.3f", scores.consistencyRate()));
    }

    private static Map<String, Object> toJson(Report report, EvalOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("checkpoint", report.checkpoint().checkpoint());
        json.put("iteration", report.checkpoint().loaded().iteration());
        json.put("manifest", options.manifest());
        json.put("recipe", report.checkpoint().config().recipe().name());
        json.put("decoding", report.decoding().earlyExit() ? "early-exit" : "full");
        if (report.decoding().earlyExit()) {
            json.put("tau", report.decoding().threshold());
        }
        json.put("max_new_tokens", report.decoding().maxNewTokens());
        json.put("overall", scores(report.result().overall()));
        Map<String, Object> byType = new LinkedHashMap<>();
        report.result().byType().forEach((type, scores) -> byType.put(type, scores(scores)));
        json.put("by_type", byType);
        if (!report.result().sweep().isEmpty()) {
            List<Map<String, Object>> sweep = new ArrayList<>();
            for (Evaluator.SweepPoint point : report.result().sweep()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("tau", point.threshold());
                entry.put("accuracy", point.accuracy());
                entry.put("tokens_per_answer", point.tokensPerAnswer());
                entry.put("think_rate", point.thinkRate());
                sweep.add(entry);
            }
            json.put("sweep", sweep);
        }
        if (report.gain() != null) {
            json.put("baseline", options.baseline());
            json.put("gain", report.gain().toJson());
        }
        json.put("wall_s", report.wallSeconds());
        return json;
    }

    private static Map<String, Object> scores(Evaluator.Scores scores) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", scores.accuracy());
        json.put("tokens_per_answer", scores.tokensPerAnswer());
        json.put("think_rate", scores.thinkRate());
        json.put("n", scores.prompts());
        json.put("mean_reward", scores.meanReward());
        if (scores.iou() != null) {
            json.put("iou", scores.iou());
        }
        if (scores.consistencyRate() != null) {
            json.put("consistency_rate", scores.consistencyRate());
        }
        return json;
    }
}
