package ai.videorl.cluster.report;

import ai.videorl.cluster.store.AtomicFiles;
import ai.videorl.cluster.store.MetricsLog;
import ai.videorl.cluster.train.PairedGain;
import ai.videorl.cluster.train.RolloutColumns;
import ai.videorl.cluster.train.RolloutStore;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.common.error.VideoRlException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

/**
 * {@code report}: one self-contained HTML page about a run: PNG charts of its metrics per
 * iteration (reward and each term, accuracy, response length, KL, entropy, clip fractions,
 * zero-variance groups, stage timings), the evaluation table, and the best and worst rollouts of
 * its last iteration. The charts are embedded in the page and also written next to it.
 * {@code RUN_DIR} is a {@code train} run or a {@code demo} directory (its {@code grpo/} run and
 * {@code summary.json}).
 */
public final class RunReport {

    private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

    /** The page's file name in the run directory, and the folder of its PNG charts. */
    public static final String PAGE = "report.html";
    public static final String CHARTS = "report";

    /** Rollouts shown at each end of the reward ranking. */
    static final int SAMPLES = 3;

    /** Where the page went, and how many charts and sample rollouts it holds. */
    public record Written(String page, int charts, int samples) {
    }

    private RunReport() {
    }

    /**
     * @param runDirectory a train run or a demo directory
     * @param evaluations {@code eval} reports (JSON) to tabulate as well
     * @param page where the page goes, or null for {@code RUN_DIR/report.html}
     */
    public static Written write(SparkSession spark, String runDirectory, List<String> evaluations, String page) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String training = trainingRun(runDirectory, hadoop);
        String output = page != null ? page : RunFiles.child(runDirectory, PAGE);
        MetricSeries metrics = MetricSeries.read(RunFiles.child(training, MetricsLog.FILE));
        metrics.skipped().forEach(line -> LOG.warn("skipping a metrics line: {}", line));
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>videorl: ")
                .append(escapeHtml4(runDirectory)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1400px}img{margin:4px;border:1px solid #ddd}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append("td.num{text-align:right}pre{white-space:pre-wrap;margin:0;max-width:700px}</style></head><body>\n")
                .append("<h1>videorl run ").append(escapeHtml4(runDirectory)).append("</h1>\n<p>")
                .append(metrics.iterations()).append(" iterations in ").append(escapeHtml4(training)).append("</p>\n");
        if (!metrics.skipped().isEmpty()) {
            html.append("<p>Skipped, not readable: ").append(escapeHtml4(String.join("; ", metrics.skipped()))).append("</p>\n");
        }
        html.append("<h2>Training</h2>\n");
        int charts = 0;
        String chartDirectory = RunFiles.child(parentOf(output), CHARTS);
        for (Charts.Spec spec : specs(metrics)) {
            Charts.Drawn drawn = Charts.draw(spec, metrics);
            if (drawn == null) {
                continue;
            }
            AtomicFiles.write(RunFiles.child(chartDirectory, spec.file()), hadoop, out -> out.write(drawn.png()));
            html.append("<img alt=\"").append(escapeHtml4(spec.title())).append("\" title=\"").append(escapeHtml4(String.join(", ", drawn.plotted())))
                    .append("\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(drawn.png())).append("\">\n");
            charts++;
        }
        html.append("<h2>Evaluation</h2>\n");
        String summary = RunFiles.child(runDirectory, RunFiles.SUMMARY);
        boolean anyEvaluation = false;
        if (RunFiles.exists(summary, hadoop)) {
            html.append(demoTable(RunFiles.readJson(summary, JsonNode.class, hadoop)));
            anyEvaluation = true;
        }
        for (String evaluation : evaluations) {
            html.append(evalTable(evaluation, RunFiles.readJson(evaluation, JsonNode.class, hadoop)));
            anyEvaluation = true;
        }
        if (!anyEvaluation) {
            html.append("<p>No evaluation: run <code>bin/videorl eval</code> and pass its report with <code>--eval</code>.</p>\n");
        }
        int samples = appendSamples(html, spark, training);
        html.append("</body></html>\n");
        AtomicFiles.write(output, hadoop, out -> out.write(html.toString().getBytes(StandardCharsets.UTF_8)));
        return new Written(output, charts, samples);
    }

    /** The run whose metrics and rollouts the page shows: RUN_DIR itself, or a demo's grpo/ run. */
    static String trainingRun(String runDirectory, Configuration hadoop) throws IOException {
        if (RunFiles.exists(RunFiles.child(runDirectory, MetricsLog.FILE), hadoop)) {
            return runDirectory;
        }
        String demo = RunFiles.child(runDirectory, RunFiles.DEMO_GRPO_RUN);
        if (RunFiles.exists(RunFiles.child(demo, MetricsLog.FILE), hadoop)) {
            return demo;
        }
        throw VideoRlException.invalidConfiguration("--run " + runDirectory + " has no " + MetricsLog.FILE
                + " (nor grpo/" + MetricsLog.FILE + "): not a train run or a demo directory");
    }

    /** The charts the issue asks for; the reward chart has a line per term the run logged. */
    static List<Charts.Spec> specs(MetricSeries metrics) {
        Map<String, String> rewards = new LinkedHashMap<>();
        rewards.put("total", "reward/total/mean");
        for (String name : metrics.names()) {
            if (name.startsWith("reward/") && name.endsWith("/mean") && !name.equals("reward/total/mean")) {
                rewards.put(name.substring("reward/".length(), name.length() - "/mean".length()), name);
            }
        }
        Map<String, String> timings = new LinkedHashMap<>();
        for (String name : metrics.names()) {
            if (name.startsWith("timing_s/")) {
                timings.put(name.substring("timing_s/".length()), name);
            }
        }
        return List.of(
                new Charts.Spec("reward.png", "Reward (mean over rollouts)", "reward", rewards),
                new Charts.Spec("accuracy.png", "Task accuracy of sampled rollouts", "accuracy", Map.of("accuracy", "accuracy/mean")),
                new Charts.Spec("response-length.png", "Response length", "tokens", ordered(
                        "mean", "response_length/mean", "max", "response_length/max")),
                new Charts.Spec("kl.png", "KL", "KL", ordered("ppo_kl (to the generating policy)", "actor/ppo_kl",
                        "kl_loss (to the reference)", "actor/kl_loss")),
                new Charts.Spec("entropy.png", "Entropy", "nats per token", Map.of("entropy", "actor/entropy")),
                new Charts.Spec("clip.png", "Clip fractions", "fraction", ordered("pg_clipfrac", "actor/pg_clipfrac",
                        "response clipped at the limit", "response_length/clip_ratio")),
                new Charts.Spec("zero-variance.png", "Zero-variance groups", "fraction of groups",
                        Map.of("zero variance", "groups/zero_variance_fraction")),
                new Charts.Spec("timings.png", "Stage timings", "seconds", timings));
    }

    private static Map<String, String> ordered(String... labelsAndNames) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndNames.length; i += 2) {
            lines.put(labelsAndNames[i], labelsAndNames[i + 1]);
        }
        return lines;
    }

    /** The demo's held-out accuracy per problem type, before and after GRPO. */
    private static String demoTable(JsonNode summary) {
        StringBuilder html = new StringBuilder("<p>Held-out evaluation of the demo (").append(escapeHtml4(summary.path("recipe").asText()))
                .append(", ").append(summary.path("iterations").asInt()).append(" GRPO iterations)</p>\n<table><tr><th>problem type</th>")
                .append("<th>warm start (SFT)</th><th>after GRPO</th></tr>\n");
        JsonNode warm = summary.path("warm_start");
        JsonNode grpo = summary.path("grpo");
        warm.path("accuracy_by_type").fieldNames().forEachRemaining(type -> html.append("<tr><td>").append(escapeHtml4(type))
                .append("</td>").append(number(warm.path("accuracy_by_type").path(type))).append(number(grpo.path("accuracy_by_type").path(type)))
                .append("</tr>\n"));
        html.append("<tr><th>overall accuracy</th>").append(number(warm.path("accuracy"))).append(number(grpo.path("accuracy"))).append("</tr>\n")
                .append("<tr><th>mean reward</th>").append(number(warm.path("mean_reward"))).append(number(grpo.path("mean_reward")))
                .append("</tr>\n<tr><th>tokens per answer</th>").append(number(warm.path("tokens_per_answer")))
                .append(number(grpo.path("tokens_per_answer"))).append("</tr>\n</table>\n");
        if (summary.has("gain")) {
            html.append("<p>GRPO's gain, ").append(escapeHtml4(PairedGain.fromJson(summary.path("gain")).describeOver("held-out questions")))
                    .append("</p>\n");
        }
        return html.toString();
    }

    /** An {@code eval} report: per problem type and overall. */
    private static String evalTable(String location, JsonNode report) {
        StringBuilder html = new StringBuilder("<p><code>").append(escapeHtml4(location)).append("</code>: ")
                .append(escapeHtml4(report.path("checkpoint").asText())).append(", ").append(escapeHtml4(report.path("decoding").asText()))
                .append(" decode</p>\n<table><tr><th>problem type</th><th>n</th><th>accuracy</th><th>tokens per answer</th>")
                .append("<th>think rate</th><th>IoU</th></tr>\n");
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        report.path("by_type").fields().forEachRemaining(entry -> rows.put(entry.getKey(), entry.getValue()));
        rows.put("overall", report.path("overall"));
        rows.forEach((type, scores) -> html.append("<tr><td>").append(escapeHtml4(type)).append("</td>").append(number(scores.path("n")))
                .append(number(scores.path("accuracy"))).append(number(scores.path("tokens_per_answer"))).append(number(scores.path("think_rate")))
                .append(number(scores.path("iou"))).append("</tr>\n"));
        html.append("</table>\n");
        if (report.has("gain")) {
            html.append("<p>Against <code>").append(escapeHtml4(report.path("baseline").asText())).append("</code>, ")
                    .append(escapeHtml4(PairedGain.fromJson(report.path("gain")).describeOver("questions"))).append("</p>\n");
        }
        return html.toString();
    }

    /** The best and worst rollouts by total reward of the run's last stored iteration, one per prompt. */
    private static int appendSamples(StringBuilder html, SparkSession spark, String training) throws IOException {
        boolean stored = RunFiles.exists(RunFiles.child(training, RunFiles.ROLLOUTS), spark.sparkContext().hadoopConfiguration());
        Dataset<Row> rollouts = stored ? RolloutStore.read(spark, training) : null;
        Row last = stored ? rollouts.agg(max(RolloutColumns.ITERATION)).first() : null;
        if (last == null || last.isNullAt(0)) {
            html.append("<h2>Sample rollouts</h2>\n<p>No rollouts stored.</p>\n");
            return 0;
        }
        int iteration = last.getInt(0);
        // One iteration's rollouts (prompts x G rows) fit on the driver; each prompt is shown once.
        List<Row> ranked = new ArrayList<>(rollouts.where(col(RolloutColumns.ITERATION).equalTo(iteration))
                .select("id", "problem", "solution", RolloutColumns.RESPONSE, RolloutColumns.TOTAL, RolloutColumns.ACCURACY)
                .orderBy(col(RolloutColumns.TOTAL).desc(), col("id")).collectAsList());
        List<Row> best = distinctPrompts(ranked);
        Collections.reverse(ranked);
        List<Row> worst = distinctPrompts(ranked);
        html.append("<h2>Sample rollouts (iteration ").append(iteration).append(")</h2>\n");
        sampleTable(html, "Best by reward", best);
        sampleTable(html, "Worst by reward", worst);
        return best.size() + worst.size();
    }

    /** The first {@link #SAMPLES} rows of distinct prompts. */
    private static List<Row> distinctPrompts(List<Row> ranked) {
        Set<String> seen = new HashSet<>();
        List<Row> picked = new ArrayList<>();
        for (Row row : ranked) {
            if (picked.size() < SAMPLES && seen.add(row.getString(0))) {
                picked.add(row);
            }
        }
        return picked;
    }

    private static void sampleTable(StringBuilder html, String title, List<Row> rows) {
        html.append("<h3>").append(title).append("</h3>\n<table><tr><th>id</th><th>question</th><th>solution</th><th>response</th>")
                .append("<th>reward</th><th>accuracy</th></tr>\n");
        for (Row row : rows) {
            html.append("<tr><td>").append(escapeHtml4(row.getString(0))).append("</td><td><pre>").append(escapeHtml4(row.getString(1)))
                    .append("</pre></td><td>").append(escapeHtml4(row.getString(2))).append("</td><td><pre>").append(escapeHtml4(row.getString(3)))
                    .append("</pre></td>").append(cell(row.getDouble(4))).append(cell(row.getDouble(5))).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? cell(value.asDouble()) : "<td class=\"num\">-</td>";
    }

    private static String cell(double value) {
        String text = value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
        return "<td class=\"num\">" + text + "</td>";
    }

    private static String parentOf(String location) {
        org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(location).getParent();
        return parent == null ? "." : parent.toString();
    }
}
